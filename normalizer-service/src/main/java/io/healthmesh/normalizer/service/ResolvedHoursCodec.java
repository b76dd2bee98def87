package io.healthmesh.normalizer.service;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.repository.CompactBytes;
import io.healthmesh.normalizer.repository.DayRowsCodec;
import io.healthmesh.normalizer.repository.RowCacheRepository;
import io.healthmesh.normalizer.service.ResolvedBuckets.Piece;
import io.healthmesh.normalizer.service.SourceRanking.Standing;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One UTC date's resolved raw hours as {@code metric_resolved_raw_cache.hours} keeps them
 * (V6__resolved_raw_cache.sql): per hour of the date, its rows' count and its points as pieces
 * (every field a piece's point is written from, exactly: the doubles' bits, the instants to the
 * microsecond), and the date's daily values as rows (DayRowsCodec): 15-20 bytes a piece (22 kB for a
 * day of minute heart rate).
 */
final class ResolvedHoursCodec {

    private static final int FORMAT = 1;
    static final int HOURS = 24;
    private static final int WHOLE_VALUE = 1;
    private static final int ROUND_TRIP = 2;
    private static final long MICROS_PER_HOUR = 3_600_000_000L;
    /** Integers a double holds exactly. */
    private static final double WHOLE_LIMIT = 1L << 53;

    /** A piece of the hour bucket starting {@code hour} hours into the date. */
    record HourPiece(int hour, Piece piece) {
    }

    /**
     * What a read of part of the date takes: the rows starting in its hours (the raw read's cap
     * counts them), its daily values starting in them, and its hours' pieces.
     */
    record Hours(long rows, List<StoredMetric> dailyRows, List<Piece> pieces) {
    }

    private ResolvedHoursCodec() {
    }

    static byte[] encode(LocalDate date, long[] rowsPerHour, List<StoredMetric> dailyRows, List<HourPiece> pieces) {
        CompactBytes.Dictionary dictionary = new CompactBytes.Dictionary();
        long dateStart = CompactBytes.micros(RowCacheRepository.utcStart(date));
        CompactBytes.Writer body = new CompactBytes.Writer(pieces.size() * 20 + 16);
        for (HourPiece hourPiece : pieces) {
            Piece piece = hourPiece.piece();
            StoredMetric row = piece.row();
            long from = CompactBytes.micros(piece.from());
            double value = piece.value();
            boolean whole = value == Math.rint(value) && Math.abs(value) < WHOLE_LIMIT
                    && !(value == 0 && Double.doubleToRawLongBits(value) != 0);
            body.varint((whole ? WHOLE_VALUE : 0) | (piece.winner().roundTrip() ? ROUND_TRIP : 0));
            body.varint(hourPiece.hour());
            body.signed(from - dateStart - hourPiece.hour() * MICROS_PER_HOUR);
            body.signed(CompactBytes.micros(piece.to()) - from);
            if (whole) {
                body.signed((long) value);
            } else {
                body.fixed(Double.doubleToRawLongBits(value));
            }
            body.varint(dictionary.string(piece.winner().source()));
            body.varint(piece.winner().rank());
            body.varint(dictionary.string(row.device()));
            body.signed(row.utcOffsetSeconds());
            body.varint(dictionary.number(row.quality()));
        }
        CompactBytes.Writer out = new CompactBytes.Writer(body.size() + 256);
        out.varint(FORMAT);
        for (int hour = 0; hour < HOURS; hour++) {
            out.varint(rowsPerHour[hour]);
        }
        byte[] dailies = dailyRows.isEmpty() ? new byte[0] : DayRowsCodec.encode(dailyRows);
        out.varint(dailies.length);
        out.bytes(dailies, dailies.length);
        dictionary.writeTo(out);
        out.varint(pieces.size());
        out.append(body);
        return out.toByteArray();
    }

    /**
     * What the entry holds for the hours of the date starting in {@code [from, to)}: an entry that
     * is not one (cut short, another format) is an IllegalArgumentException.
     */
    static Hours decode(byte[] encoded, LocalDate date, Instant from, Instant to) {
        CompactBytes.Reader in = new CompactBytes.Reader(encoded);
        Instant dateStart = RowCacheRepository.utcStart(date);
        try {
            int format = in.count();
            if (format != FORMAT) {
                throw new IllegalArgumentException("Resolved hours of format " + format + ", not " + FORMAT);
            }
            boolean[] wanted = new boolean[HOURS];
            long rows = 0;
            for (int hour = 0; hour < HOURS; hour++) {
                Instant start = dateStart.plusSeconds(hour * 3600L);
                wanted[hour] = !start.isBefore(from) && start.isBefore(to);
                long count = in.varint();
                if (wanted[hour]) {
                    rows += count;
                }
            }
            byte[] dailies = in.bytes(in.count());
            List<StoredMetric> dailyRows = dailies.length == 0 ? List.of() : DayRowsCodec.decode(dailies, from, to);
            String[] strings = in.strings();
            double[] qualities = in.doubles();
            int size = in.count();
            List<Piece> pieces = new ArrayList<>(size);
            Map<Standing, Standing> standings = new HashMap<>();
            long dateMicros = CompactBytes.micros(dateStart);
            for (int i = 0; i < size; i++) {
                int flags = in.count();
                int hour = in.count();
                if (hour >= HOURS) {
                    throw new IllegalArgumentException("An hour " + hour + " of a date");
                }
                long fromMicros = dateMicros + hour * MICROS_PER_HOUR + in.signed();
                long length = in.signed();
                double value = (flags & WHOLE_VALUE) != 0 ? in.signed() : Double.longBitsToDouble(in.fixed());
                String source = strings[in.count()];
                if (source == null) {
                    throw new IllegalArgumentException("A piece without a source");
                }
                int rank = in.count();
                String device = strings[in.count()];
                int offset = Math.toIntExact(in.signed());
                double quality = qualities[in.count()];
                if (!wanted[hour]) {
                    continue;
                }
                Standing winner = standings.computeIfAbsent(new Standing(source, rank, (flags & ROUND_TRIP) != 0),
                        standing -> standing);
                Instant start = CompactBytes.instant(fromMicros);
                Instant end = length == 0 ? start : CompactBytes.instant(fromMicros + length);
                // A stand-in row: what a piece's point takes from its row (device, offset, quality).
                StoredMetric row = new StoredMetric(source, device, null, value, Aggregation.SAMPLE, start, end, offset,
                        null, null, quality);
                pieces.add(new Piece(row, start, end, value, winner));
            }
            if (in.remaining() != 0) {
                throw new IllegalArgumentException("Resolved hours with " + in.remaining() + " bytes after the last");
            }
            return new Hours(rows, dailyRows, pieces);
        } catch (ArrayIndexOutOfBoundsException | ArithmeticException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("Resolved hours that cannot be read: " + e, e);
        }
    }

}
