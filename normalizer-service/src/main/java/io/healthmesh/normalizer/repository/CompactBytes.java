package io.healthmesh.normalizer.repository;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The byte forms the caches' entries are written in: varints (zigzag for signed numbers), fixed
 * 8-byte longs, UTF-8 strings. A reader refuses damage (a count beyond the entry, a string past
 * its end) with an IllegalArgumentException or an ArrayIndexOutOfBoundsException.
 */
public final class CompactBytes {

    private CompactBytes() {
    }

    /** An instant in whole microseconds (a stored row's precision); finer is an IllegalArgumentException. */
    public static long micros(Instant instant) {
        if (instant.getNano() % 1_000 != 0) {
            throw new IllegalArgumentException(instant + " is finer than the microseconds a stored row has");
        }
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1_000);
    }

    /**
     * The strings (sources, devices) and doubles (qualities) an entry names by number: each is
     * numbered as first met and written once, before the entries that use them.
     */
    public static final class Dictionary {
        private final Map<String, Integer> strings = new HashMap<>();
        private final List<String> stringList = new ArrayList<>();
        private final Map<Long, Integer> doubles = new HashMap<>();
        private final List<Long> doubleList = new ArrayList<>();

        /** 0 for null, else the string's number (from 1). */
        public int string(String string) {
            if (string == null) {
                return 0;
            }
            return strings.computeIfAbsent(string, s -> {
                stringList.add(s);
                return stringList.size();
            });
        }

        /** The double's number (from 0), by its bits. */
        public int number(double value) {
            return doubles.computeIfAbsent(Double.doubleToRawLongBits(value), bits -> {
                doubleList.add(bits);
                return doubleList.size() - 1;
            });
        }

        /** Read back by {@link Reader#strings} then {@link Reader#doubles}. */
        public void writeTo(Writer out) {
            out.varint(stringList.size());
            for (String string : stringList) {
                byte[] utf8 = string.getBytes(StandardCharsets.UTF_8);
                out.varint(utf8.length);
                out.bytes(utf8, utf8.length);
            }
            out.varint(doubleList.size());
            for (long bits : doubleList) {
                out.fixed(bits);
            }
        }
    }

    public static final class Writer {
        private byte[] buffer;
        private int size;

        public Writer(int capacity) {
            buffer = new byte[capacity];
        }

        public void varint(long value) {
            room(10);
            long rest = value;
            while ((rest & ~0x7FL) != 0) {
                buffer[size++] = (byte) ((rest & 0x7F) | 0x80);
                rest >>>= 7;
            }
            buffer[size++] = (byte) rest;
        }

        /** Zigzag: small negative numbers stay short. */
        public void signed(long value) {
            varint((value << 1) ^ (value >> 63));
        }

        public void fixed(long value) {
            room(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer[size++] = (byte) (value >>> shift);
            }
        }

        public void bytes(byte[] bytes, int length) {
            room(length);
            System.arraycopy(bytes, 0, buffer, size, length);
            size += length;
        }

        public int size() {
            return size;
        }

        public void append(Writer other) {
            bytes(other.buffer, other.size);
        }

        public byte[] toByteArray() {
            return Arrays.copyOf(buffer, size);
        }

        private void room(int needed) {
            if (size + needed > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + needed));
            }
        }
    }

    public static final class Reader {
        private final byte[] buffer;
        private int position;

        public Reader(byte[] buffer) {
            this.buffer = buffer;
        }

        public int remaining() {
            return buffer.length - position;
        }

        public long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buffer[position++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("A number longer than 64 bits");
        }

        /** A count or index: never negative, never beyond an int. */
        public int count() {
            long value = varint();
            // Whatever is counted takes a byte or more: a count beyond the entry's length is damage.
            if (value < 0 || value > buffer.length) {
                throw new IllegalArgumentException("A count of " + value);
            }
            return (int) value;
        }

        public long signed() {
            long raw = varint();
            return (raw >>> 1) ^ -(raw & 1);
        }

        public long fixed() {
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (buffer[position++] & 0xFF);
            }
            return value;
        }

        /** A dictionary's strings by number: [0] is null. */
        public String[] strings() {
            String[] strings = new String[count() + 1];
            for (int i = 1; i < strings.length; i++) {
                strings[i] = string(count());
            }
            return strings;
        }

        /** A dictionary's doubles by number. */
        public double[] doubles() {
            double[] doubles = new double[count()];
            for (int i = 0; i < doubles.length; i++) {
                doubles[i] = Double.longBitsToDouble(fixed());
            }
            return doubles;
        }

        public byte[] bytes(int length) {
            if (length > buffer.length - position) {
                throw new IllegalArgumentException("Bytes past the end");
            }
            byte[] bytes = Arrays.copyOfRange(buffer, position, position + length);
            position += length;
            return bytes;
        }

        public String string(int length) {
            if (length > buffer.length - position) {
                throw new IllegalArgumentException("A string past the end");
            }
            String string = new String(buffer, position, length, StandardCharsets.UTF_8);
            position += length;
            return string;
        }
    }
}
