package io.healthmesh.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Vocabulary;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * One user's days of minute-level heart rate and steps from three sources, written straight into
 * {@code normalizer.unified_metric} with COPY, row for row as the normalizer writes them for such
 * readings (canonical value and unit, aggregation, utc_offset and local_date of the start in the
 * reading's zone, quality 1.0 with the scorer's four factors as JSON, event_id =
 * {@link Identity#eventId}, occurred_at a few minutes after the end). Deterministic for a seed.
 *
 * <p>Per local day in Europe/Berlin (DST changes included: 23 and 25 hour days):
 * <ul>
 *   <li>apple_health, Apple Watch (worn except 20:00-22:00, when it charges): a heart rate sample
 *       at every minute, and steps as 1-minute intervals;</li>
 *   <li>apple_health, iPhone (carried 07:00-23:00): steps as 1-minute intervals shifted by 30 s, so
 *       they overlap the Watch's halfway (the resolved view merges them on the timeline);</li>
 *   <li>oura (Oura Ring Gen3) and withings (ScanWatch): a heart rate sample and a 1-minute steps
 *       interval at every minute.</li>
 * </ul>
 * About 9,360 rows a day (3.4 M a year): heart rate about 4,200 a day, steps about 5,160.
 */
final class MinuteYear {

    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    static final String WATCH = "Apple Watch";
    static final String IPHONE = "iPhone";
    static final String OURA_RING = "Oura Ring Gen3";
    static final String SCANWATCH = "ScanWatch";

    private static final String COPY = "COPY unified_metric (user_id, source, source_record_id, metric, category, value,"
            + " unit, original_value, original_unit, aggregation, start_time, end_time, utc_offset, local_date, zone,"
            + " device, app, user_entered, quality, quality_reasons, event_id, import_job_id, derived_from_session,"
            + " occurred_at) FROM STDIN";

    private final String userId;
    private final LocalDate firstDay;
    private final int days;
    private final long seed;
    private final Map<String, Long> rowsPerKind = new TreeMap<>();
    private final Map<String, String> amountReasons = new LinkedHashMap<>();
    private final Map<String, String> pointReasons = new LinkedHashMap<>();

    MinuteYear(String userId, LocalDate firstDay, int days, long seed) {
        this.userId = userId;
        this.firstDay = firstDay;
        this.days = days;
        this.seed = seed;
        for (String source : List.of(SourceId.APPLE_HEALTH, SourceId.OURA, SourceId.WITHINGS)) {
            pointReasons.put(source, reasons(source, "a point or short sample"));
            amountReasons.put(source, reasons(source, "an amount over at most an hour"));
        }
    }

    LocalDate firstDay() {
        return firstDay;
    }

    LocalDate lastDay() {
        return firstDay.plusDays(days - 1L);
    }

    Map<String, Long> rowsPerKind() {
        return rowsPerKind;
    }

    /**
     * The quality reasons exactly as the normalizer's QualityScorer makes them for these readings
     * (source reliability 1.0 for the three sources, device measured, a point or an amount of at
     * most an hour, well inside the plausible range) and as EventNormalizer writes them (Jackson,
     * record component order).
     */
    private static String reasons(String source, String precision) {
        List<Map<String, Object>> factors = List.of(
                factor("source_reliability", 1.0, "source " + source),
                factor("device_measured", 1.0, "measured or computed by the source"),
                factor("interval_precision", 1.0, precision),
                factor("plausibility", 1.0, "well inside the plausible range"));
        try {
            return EventJson.mapper().writeValueAsString(factors);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> factor(String name, double weight, String detail) {
        Map<String, Object> factor = new LinkedHashMap<>();
        factor.put("factor", name);
        factor.put("weight", weight);
        factor.put("detail", detail);
        return factor;
    }

    /**
     * COPYs every row, one transaction per {@code daysPerCommit} days, over a JDBC connection as
     * {@code normalizer}; reports the rows written so far after each commit. Answers the row count.
     */
    long load(String jdbcUrl, String user, String password, int daysPerCommit, LongConsumer progress)
            throws SQLException, IOException {
        long total = 0;
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            connection.setAutoCommit(false);
            PGConnection pg = connection.unwrap(PGConnection.class);
            for (int from = 0; from < days; from += daysPerCommit) {
                int until = Math.min(days, from + daysPerCommit);
                try (PGCopyOutputStream copy = new PGCopyOutputStream(pg, COPY, 1 << 20);
                        Writer out = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), 1 << 20)) {
                    for (int d = from; d < until; d++) {
                        total += writeDay(out, firstDay.plusDays(d));
                    }
                }
                connection.commit();
                progress.accept(total);
            }
        }
        return total;
    }

    private long writeDay(Writer out, LocalDate day) throws IOException {
        ZoneRules rules = ZONE.getRules();
        Instant start = day.atStartOfDay(ZONE).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(ZONE).toInstant();
        long rows = 0;
        StringBuilder line = new StringBuilder(1024);
        for (long t = start.getEpochSecond(); t < end.getEpochSecond(); t += 60) {
            int offset = rules.getOffset(Instant.ofEpochSecond(t)).getTotalSeconds();
            int localMinute = (int) Math.floorMod((t + offset) / 60, 1440L);
            int hour = localMinute / 60;
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + t);
            boolean watchWorn = hour < 20 || hour >= 22;
            boolean phoneCarried = hour >= 7 && hour < 23;
            double heart = heartRate(hour, random);
            if (watchWorn) {
                rows += row(out, line, SourceId.APPLE_HEALTH, appleId("HKQuantityTypeIdentifierHeartRate", WATCH, t, t),
                        "heart_rate", Math.round(heart), "count/min", Aggregation.SAMPLE, t, t, offset, day, WATCH, WATCH);
                rows += row(out, line, SourceId.APPLE_HEALTH, appleId("HKQuantityTypeIdentifierStepCount", WATCH, t,
                        t + 60), "steps", steps(hour, random), "count", Aggregation.CUMULATIVE, t, t + 60, offset, day,
                        WATCH, WATCH);
            }
            if (phoneCarried) {
                rows += row(out, line, SourceId.APPLE_HEALTH, appleId("HKQuantityTypeIdentifierStepCount", IPHONE,
                        t + 30, t + 90), "steps", steps(hour, random), "count", Aggregation.CUMULATIVE, t + 30, t + 90,
                        offset, day, IPHONE, IPHONE);
            }
            rows += row(out, line, SourceId.OURA, "oura-hr-" + t, "heart_rate", Math.round(heart + random.nextInt(5) - 2),
                    "count/min", Aggregation.SAMPLE, t, t, offset, day, OURA_RING, null);
            rows += row(out, line, SourceId.OURA, "oura-steps-" + t, "steps", steps(hour, random), "count",
                    Aggregation.CUMULATIVE, t, t + 60, offset, day, OURA_RING, null);
            rows += row(out, line, SourceId.WITHINGS, "withings-hr-" + t, "heart_rate",
                    Math.round(heart + random.nextInt(7) - 3), "bpm", Aggregation.SAMPLE, t, t, offset, day, SCANWATCH,
                    null);
            rows += row(out, line, SourceId.WITHINGS, "withings-steps-" + t, "steps", steps(hour, random), "count",
                    Aggregation.CUMULATIVE, t, t + 60, offset, day, SCANWATCH, null);
        }
        return rows;
    }

    private static double heartRate(int hour, SplittableRandom random) {
        if (hour < 6) {
            return 52 + random.nextInt(10);
        }
        if (hour == 18) {
            return 110 + random.nextInt(50); // an evening run
        }
        return 62 + random.nextInt(35);
    }

    private static double steps(int hour, SplittableRandom random) {
        if (hour < 6 || hour >= 23) {
            return random.nextInt(10) < 8 ? 0 : random.nextInt(15);
        }
        return hour == 18 ? 120 + random.nextInt(60) : random.nextInt(90);
    }

    /** As an Apple Health push names a sample (hkType|app|device|start|end|creationDate). */
    private static String appleId(String hkType, String device, long start, long end) {
        return Identity.appleSourceRecordId(hkType, device, device, utc(start), utc(end), utc(end + 2));
    }

    private int row(Writer out, StringBuilder line, String source, String sourceRecordId, String metricCode,
            double value, String originalUnit, Aggregation aggregation, long start, long end, int offset,
            LocalDate localDate, String device, String app) throws IOException {
        Metric metric = Vocabulary.metric(metricCode).orElseThrow();
        UUID eventId = Identity.eventId(userId, source, sourceRecordId, metricCode);
        String reasons = aggregation == Aggregation.SAMPLE ? pointReasons.get(source) : amountReasons.get(source);
        line.setLength(0);
        field(line, userId);
        field(line, source);
        field(line, sourceRecordId);
        field(line, metricCode);
        field(line, metric.category().code());
        line.append(value).append('\t');
        field(line, metric.canonicalUnit());
        line.append(value).append('\t');
        field(line, originalUnit);
        field(line, aggregation.code());
        line.append(Instant.ofEpochSecond(start)).append('\t');
        line.append(Instant.ofEpochSecond(end)).append('\t');
        line.append(offset).append('\t');
        line.append(localDate).append('\t');
        field(line, ZONE.getId());
        field(line, device);
        field(line, app);
        line.append("f\t1.0\t");
        field(line, reasons);
        line.append(eventId).append('\t');
        line.append("\\N\tf\t");
        line.append(Instant.ofEpochSecond(end + 300)).append('\n');
        out.append(line);
        rowsPerKind.merge(source + " " + metricCode + (device == null ? "" : " " + device), 1L, Long::sum);
        return 1;
    }

    /** A COPY text field and its tab; null is \N; backslash, tab and newline escaped. */
    private static void field(StringBuilder line, String value) {
        if (value == null) {
            line.append("\\N\t");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> line.append("\\\\");
                case '\t' -> line.append("\\t");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                default -> line.append(c);
            }
        }
        line.append('\t');
    }

    private static OffsetDateTime utc(long epochSecond) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }
}
