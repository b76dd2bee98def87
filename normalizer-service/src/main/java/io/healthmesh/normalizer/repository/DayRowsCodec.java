package io.healthmesh.normalizer.repository;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.domain.StoredMetric;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One UTC date's rows of a metric as {@code metric_row_cache.rows} keeps them (V5__row_cache.sql):
 * every field exactly (the doubles' bits, the instants to the microsecond PostgreSQL keeps), in
 * their order. Compact because a day of minute readings repeats itself: the strings (sources,
 * devices, apps, zones) and qualities are numbered once per date, a start is the step from the one
 * before, an end its distance from its start, a whole value an integer.
 */
public final class DayRowsCodec {

    private static final int FORMAT = 1;
    private static final int WHOLE_VALUE = 1;
    /** Fixed codes, not the enum's ordinals: stored entries outlive a reordering of the enum. */
    private static final Aggregation[] AGGREGATIONS = {Aggregation.SAMPLE, Aggregation.CUMULATIVE, Aggregation.DAILY};
    private static final long MICROS_PER_SECOND = 1_000_000L;
    /** Integers a double holds exactly. */
    private static final double WHOLE_LIMIT = 1L << 53;

    private DayRowsCodec() {
    }

    public static byte[] encode(List<StoredMetric> rows) {
        Map<String, Integer> strings = new HashMap<>();
        List<String> stringList = new ArrayList<>();
        Map<Long, Integer> qualities = new HashMap<>();
        List<Long> qualityList = new ArrayList<>();
        Writer body = new Writer(rows.size() * 12 + 16);
        long previousStart = 0;
        for (StoredMetric row : rows) {
            long start = micros(row.start());
            double value = row.value();
            boolean whole = value == Math.rint(value) && Math.abs(value) < WHOLE_LIMIT
                    && !(value == 0 && Double.doubleToRawLongBits(value) != 0);
            body.varint((whole ? WHOLE_VALUE : 0) | aggregationCode(row.aggregation()) << 1);
            body.signed(start - previousStart);
            body.signed(micros(row.end()) - start);
            if (whole) {
                body.signed((long) value);
            } else {
                body.fixed(Double.doubleToRawLongBits(value));
            }
            body.varint(index(strings, stringList, row.source()));
            body.varint(index(strings, stringList, row.device()));
            body.varint(index(strings, stringList, row.app()));
            body.varint(index(strings, stringList, row.zone()));
            body.signed(row.utcOffsetSeconds());
            body.signed(row.localDate().toEpochDay() - Math.floorDiv(start, MICROS_PER_SECOND * 86_400));
            body.varint(qualities.computeIfAbsent(Double.doubleToRawLongBits(row.quality()), bits -> {
                qualityList.add(bits);
                return qualityList.size() - 1;
            }));
            previousStart = start;
        }
        Writer out = new Writer(body.size + 64 + stringList.size() * 16);
        out.varint(FORMAT);
        out.varint(stringList.size());
        for (String string : stringList) {
            byte[] utf8 = string.getBytes(StandardCharsets.UTF_8);
            out.varint(utf8.length);
            out.bytes(utf8, utf8.length);
        }
        out.varint(qualityList.size());
        for (long bits : qualityList) {
            out.fixed(bits);
        }
        out.varint(rows.size());
        out.bytes(body.buffer, body.size);
        return Arrays.copyOf(out.buffer, out.size);
    }

    /** The rows as encoded; an entry that is not one (cut short, another format) is an IllegalArgumentException. */
    public static List<StoredMetric> decode(byte[] encoded) {
        return decode(encoded, Instant.MIN, Instant.MAX);
    }

    /**
     * The rows starting in {@code [from, to)}: the others are read through (the whole entry is
     * checked) but not made.
     */
    public static List<StoredMetric> decode(byte[] encoded, Instant from, Instant to) {
        long fromMicros = ceilingMicros(from);
        long toMicros = ceilingMicros(to);
        Reader in = new Reader(encoded);
        try {
            int format = in.count();
            if (format != FORMAT) {
                throw new IllegalArgumentException("Day rows of format " + format + ", not " + FORMAT);
            }
            String[] strings = new String[in.count() + 1];
            for (int i = 1; i < strings.length; i++) {
                strings[i] = in.string(in.count());
            }
            double[] qualities = new double[in.count()];
            for (int i = 0; i < qualities.length; i++) {
                qualities[i] = Double.longBitsToDouble(in.fixed());
            }
            int size = in.count();
            List<StoredMetric> rows = new ArrayList<>(Math.min(size, encoded.length));
            long start = 0;
            LocalDate localDate = null;
            for (int i = 0; i < size; i++) {
                int flags = in.count();
                Aggregation aggregation = AGGREGATIONS[flags >>> 1];
                start += in.signed();
                long endDistance = in.signed();
                double value = (flags & WHOLE_VALUE) != 0 ? in.signed() : Double.longBitsToDouble(in.fixed());
                String source = strings[in.count()];
                if (source == null) {
                    throw new IllegalArgumentException("A row without a source");
                }
                String device = strings[in.count()];
                String app = strings[in.count()];
                String zone = strings[in.count()];
                int offset = Math.toIntExact(in.signed());
                long epochDay = Math.floorDiv(start, MICROS_PER_SECOND * 86_400) + in.signed();
                double quality = qualities[in.count()];
                if (start < fromMicros || start >= toMicros) {
                    continue;
                }
                if (localDate == null || localDate.toEpochDay() != epochDay) {
                    localDate = LocalDate.ofEpochDay(epochDay);
                }
                Instant startInstant = instant(start);
                // The same instance for an instant reading, as the rows read from the table have.
                Instant end = endDistance == 0 ? startInstant : instant(start + endDistance);
                rows.add(new StoredMetric(source, device, app, value, aggregation, startInstant, end, offset,
                        localDate, zone, quality));
            }
            if (in.position != encoded.length) {
                throw new IllegalArgumentException("Day rows with " + (encoded.length - in.position)
                        + " bytes after the last");
            }
            return rows;
        } catch (ArrayIndexOutOfBoundsException | ArithmeticException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("Day rows that cannot be read: " + e, e);
        }
    }

    private static int aggregationCode(Aggregation aggregation) {
        for (int code = 0; code < AGGREGATIONS.length; code++) {
            if (AGGREGATIONS[code] == aggregation) {
                return code;
            }
        }
        throw new IllegalArgumentException("No code for " + aggregation);
    }

    /** 0 for null, else the string's number in this entry (from 1), numbered as first met. */
    private static int index(Map<String, Integer> strings, List<String> list, String string) {
        if (string == null) {
            return 0;
        }
        return strings.computeIfAbsent(string, s -> {
            list.add(s);
            return list.size();
        });
    }

    private static long micros(Instant instant) {
        if (instant.getNano() % 1_000 != 0) {
            throw new IllegalArgumentException(instant + " is finer than the microseconds a stored row has");
        }
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND), instant.getNano() / 1_000);
    }

    /** The first whole microsecond at or after {@code instant} (saturated): a row starts at or after it iff at or after this. */
    private static long ceilingMicros(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND),
                    (instant.getNano() + 999) / 1_000);
        } catch (ArithmeticException e) {
            return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                Math.floorMod(micros, MICROS_PER_SECOND) * 1_000);
    }

    private static final class Writer {
        private byte[] buffer;
        private int size;

        Writer(int capacity) {
            buffer = new byte[capacity];
        }

        void varint(long value) {
            room(10);
            long rest = value;
            while ((rest & ~0x7FL) != 0) {
                buffer[size++] = (byte) ((rest & 0x7F) | 0x80);
                rest >>>= 7;
            }
            buffer[size++] = (byte) rest;
        }

        /** Zigzag: small negative numbers stay short. */
        void signed(long value) {
            varint((value << 1) ^ (value >> 63));
        }

        void fixed(long value) {
            room(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer[size++] = (byte) (value >>> shift);
            }
        }

        void bytes(byte[] bytes, int length) {
            room(length);
            System.arraycopy(bytes, 0, buffer, size, length);
            size += length;
        }

        private void room(int needed) {
            if (size + needed > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + needed));
            }
        }
    }

    private static final class Reader {
        private final byte[] buffer;
        private int position;

        Reader(byte[] buffer) {
            this.buffer = buffer;
        }

        long varint() {
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
        int count() {
            long value = varint();
            // Whatever is counted takes a byte or more: a count beyond the entry's length is damage.
            if (value < 0 || value > buffer.length) {
                throw new IllegalArgumentException("A count of " + value);
            }
            return (int) value;
        }

        long signed() {
            long raw = varint();
            return (raw >>> 1) ^ -(raw & 1);
        }

        long fixed() {
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (buffer[position++] & 0xFF);
            }
            return value;
        }

        String string(int length) {
            if (length > buffer.length - position) {
                throw new IllegalArgumentException("A string past the end");
            }
            String string = new String(buffer, position, length, StandardCharsets.UTF_8);
            position += length;
            return string;
        }
    }
}
