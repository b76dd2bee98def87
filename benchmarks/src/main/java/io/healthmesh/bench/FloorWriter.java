package io.healthmesh.bench;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.vocab.Conversion;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Vocabulary;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The write floor: the same N rows as the pipeline (same generator, other user ids, so they are
 * fresh inserts) written straight into {@code normalizer.unified_metric} with JDBC batches of
 * {@code INSERT .. ON CONFLICT DO UPDATE .. WHERE .. IS DISTINCT FROM ..} over one connection with
 * {@code reWriteBatchedInserts=true}, one transaction per batch. No Kafka, no JSON, no validation:
 * what PostgreSQL and the driver cost for exactly these rows.
 */
final class FloorWriter {

    /** The pipeline's quality reasons are about this size and shape. */
    private static final String QUALITY_REASONS = "[{\"detail\": \"source apple_health\", \"factor\": \"source_reliability\","
            + " \"weight\": 1.0}, {\"detail\": \"measured or computed by the source\", \"factor\": \"device_measured\","
            + " \"weight\": 1.0}, {\"detail\": \"a point or short sample\", \"factor\": \"interval_precision\","
            + " \"weight\": 1.0}, {\"detail\": \"well inside the plausible range\", \"factor\": \"plausibility\","
            + " \"weight\": 1.0}]";

    private static final String UPSERT = """
            INSERT INTO unified_metric (user_id, source, source_record_id, metric, category, value, unit,
                original_value, original_unit, aggregation, start_time, end_time, utc_offset, local_date, zone,
                device, app, user_entered, quality, quality_reasons, event_id, import_job_id,
                derived_from_session, occurred_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)
            ON CONFLICT ON CONSTRAINT unified_metric_natural_key DO UPDATE SET
                category = EXCLUDED.category, value = EXCLUDED.value, unit = EXCLUDED.unit,
                original_value = EXCLUDED.original_value, original_unit = EXCLUDED.original_unit,
                aggregation = EXCLUDED.aggregation, start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time,
                utc_offset = EXCLUDED.utc_offset, local_date = EXCLUDED.local_date, zone = EXCLUDED.zone,
                device = EXCLUDED.device, app = EXCLUDED.app, user_entered = EXCLUDED.user_entered,
                quality = EXCLUDED.quality, quality_reasons = EXCLUDED.quality_reasons,
                event_id = EXCLUDED.event_id, import_job_id = EXCLUDED.import_job_id,
                derived_from_session = EXCLUDED.derived_from_session, occurred_at = EXCLUDED.occurred_at,
                updated_at = now()
            WHERE EXCLUDED.occurred_at >= unified_metric.occurred_at
              AND (unified_metric.category, unified_metric.value, unified_metric.unit, unified_metric.original_value,
                   unified_metric.original_unit, unified_metric.aggregation, unified_metric.start_time,
                   unified_metric.end_time, unified_metric.utc_offset, unified_metric.local_date, unified_metric.zone,
                   unified_metric.device, unified_metric.app, unified_metric.user_entered, unified_metric.quality,
                   unified_metric.quality_reasons, unified_metric.derived_from_session)
                  IS DISTINCT FROM
                  (EXCLUDED.category, EXCLUDED.value, EXCLUDED.unit, EXCLUDED.original_value, EXCLUDED.original_unit,
                   EXCLUDED.aggregation, EXCLUDED.start_time, EXCLUDED.end_time, EXCLUDED.utc_offset,
                   EXCLUDED.local_date, EXCLUDED.zone, EXCLUDED.device, EXCLUDED.app, EXCLUDED.user_entered,
                   EXCLUDED.quality, EXCLUDED.quality_reasons, EXCLUDED.derived_from_session)
            """;

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final int batchSize;

    FloorWriter(String jdbcUrl, String user, String password, int batchSize) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.batchSize = batchSize;
    }

    /**
     * Writes rows 0..n-1 of the mix under {@code userPrefix}; answers the nanoseconds spent binding,
     * executing and committing (generating the readings, which the pipeline gets from Kafka, is
     * done per batch outside the timed part).
     */
    long write(ReadingMix mix, String userPrefix, int n, Runnable beforeClose) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
                long timed = 0;
                List<Envelope> batch = new ArrayList<>(batchSize);
                for (int from = 0; from < n; from += batchSize) {
                    batch.clear();
                    for (int i = from; i < Math.min(n, from + batchSize); i++) {
                        batch.add(mix.reading(userPrefix, i).envelope());
                    }
                    long start = System.nanoTime();
                    for (Envelope envelope : batch) {
                        bind(statement, envelope);
                        statement.addBatch();
                    }
                    statement.executeBatch();
                    connection.commit();
                    timed += System.nanoTime() - start;
                }
                // While the backend still lives (its CPU time is counted only until it exits).
                beforeClose.run();
                return timed;
            }
        }
    }

    private static void bind(PreparedStatement s, Envelope envelope) throws SQLException {
        Reading r = (Reading) envelope.payload();
        Metric metric = Vocabulary.metric(r.metric()).orElseThrow();
        Aggregation aggregation = r.effectiveAggregation();
        LocalDate localDate = aggregation == Aggregation.DAILY && r.localDate() != null ? r.localDate()
                : r.start().atZoneSameInstant(r.zone() == null ? r.start().getOffset() : ZoneId.of(r.zone()))
                        .toLocalDate();
        int p = 1;
        s.setString(p++, envelope.userId());
        s.setString(p++, envelope.source());
        s.setString(p++, r.sourceRecordId());
        s.setString(p++, metric.code());
        s.setString(p++, metric.category().code());
        s.setDouble(p++, Conversion.toCanonical(metric, r.value(), r.unit()));
        s.setString(p++, metric.canonicalUnit());
        s.setDouble(p++, r.value());
        s.setString(p++, r.unit());
        s.setString(p++, aggregation.code());
        s.setObject(p++, utc(r.start()));
        s.setObject(p++, utc(r.end()));
        s.setInt(p++, r.start().getOffset().getTotalSeconds());
        s.setObject(p++, localDate);
        s.setString(p++, r.zone());
        s.setString(p++, r.device());
        s.setString(p++, r.app());
        s.setBoolean(p++, Boolean.TRUE.equals(r.userEntered()));
        s.setDouble(p++, 1.0);
        s.setString(p++, QUALITY_REASONS);
        s.setObject(p++, envelope.eventId());
        s.setNull(p++, Types.VARCHAR);
        s.setBoolean(p++, false);
        s.setObject(p, utc(envelope.occurredAt()));
    }

    private static OffsetDateTime utc(OffsetDateTime time) {
        return time.withOffsetSameInstant(ZoneOffset.UTC);
    }
}
