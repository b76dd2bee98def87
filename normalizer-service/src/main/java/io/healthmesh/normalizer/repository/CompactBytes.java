package io.healthmesh.normalizer.repository;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
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
     * 0 for null, else the string's number in an entry's dictionary (from 1), numbered as first
     * met: {@code list} gets each new string, {@code numbers} remembers them.
     */
    public static int index(Map<String, Integer> numbers, List<String> list, String string) {
        if (string == null) {
            return 0;
        }
        return numbers.computeIfAbsent(string, s -> {
            list.add(s);
            return list.size();
        });
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
