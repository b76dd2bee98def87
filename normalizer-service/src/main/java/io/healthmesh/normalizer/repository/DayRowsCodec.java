package io.healthmesh.normalizer.repository;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.domain.StoredMetric;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

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
        CompactBytes.Dictionary dictionary = new CompactBytes.Dictionary();
        CompactBytes.Writer body = new CompactBytes.Writer(rows.size() * 12 + 16);
        long previousStart = 0;
        for (StoredMetric row : rows) {
            long start = CompactBytes.micros(row.start());
            double value = row.value();
            boolean whole = value == Math.rint(value) && Math.abs(value) < WHOLE_LIMIT
                    && !(value == 0 && Double.doubleToRawLongBits(value) != 0);
            body.varint((whole ? WHOLE_VALUE : 0) | aggregationCode(row.aggregation()) << 1);
            body.signed(start - previousStart);
            body.signed(CompactBytes.micros(row.end()) - start);
            if (whole) {
                body.signed((long) value);
            } else {
                body.fixed(Double.doubleToRawLongBits(value));
            }
            body.varint(dictionary.string(row.source()));
            body.varint(dictionary.string(row.device()));
            body.varint(dictionary.string(row.app()));
            body.varint(dictionary.string(row.zone()));
            body.signed(row.utcOffsetSeconds());
            body.signed(row.localDate().toEpochDay() - Math.floorDiv(start, MICROS_PER_SECOND * 86_400));
            body.varint(dictionary.number(row.quality()));
            previousStart = start;
        }
        CompactBytes.Writer out = new CompactBytes.Writer(body.size() + 256);
        out.varint(FORMAT);
        dictionary.writeTo(out);
        out.varint(rows.size());
        out.append(body);
        return out.toByteArray();
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
        CompactBytes.Reader in = new CompactBytes.Reader(encoded);
        try {
            int format = in.count();
            if (format != FORMAT) {
                throw new IllegalArgumentException("Day rows of format " + format + ", not " + FORMAT);
            }
            String[] strings = in.strings();
            double[] qualities = in.doubles();
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
                Instant startInstant = CompactBytes.instant(start);
                // The same instance for an instant reading, as the rows read from the table have.
                Instant end = endDistance == 0 ? startInstant : CompactBytes.instant(start + endDistance);
                rows.add(new StoredMetric(source, device, app, value, aggregation, startInstant, end, offset,
                        localDate, zone, quality));
            }
            if (in.remaining() != 0) {
                throw new IllegalArgumentException("Day rows with " + in.remaining()
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

    /** The first whole microsecond at or after {@code instant} (saturated): a row starts at or after it iff at or after this. */
    private static long ceilingMicros(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND),
                    (instant.getNano() + 999) / 1_000);
        } catch (ArithmeticException e) {
            return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
