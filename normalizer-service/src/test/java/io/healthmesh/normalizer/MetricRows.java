package io.healthmesh.normalizer;

import io.healthmesh.testsupport.LocalStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Unified metric rows of one test user, inserted straight into PostgreSQL in one statement batch
 * (each its own row change for the triggers), as an operator's SQL or a bulk load would.
 */
public final class MetricRows {

    private record Pending(String metric, String source, String device, String app, String aggregation,
            Instant start, Instant end, double value, LocalDate localDate, int offsetSeconds) {
    }

    private final String user;
    private final List<Pending> pending = new ArrayList<>();

    public MetricRows(String user) {
        this.user = user;
    }

    /** A row whose local date is the UTC date of its start (offset 0, no zone, no app, quality 1). */
    public MetricRows add(String metric, String source, String device, String aggregation, Instant start,
            Instant end, double value) {
        return add(metric, source, device, aggregation, start, end, value, start.atOffset(ZoneOffset.UTC).toLocalDate());
    }

    public MetricRows add(String metric, String source, String device, String aggregation, Instant start,
            Instant end, double value, LocalDate localDate) {
        return add(metric, source, device, null, aggregation, start, end, value, localDate, 0);
    }

    /** A row written by {@code app} (null: none) at {@code offsetSeconds} from UTC. */
    public MetricRows add(String metric, String source, String device, String app, String aggregation, Instant start,
            Instant end, double value, LocalDate localDate, int offsetSeconds) {
        pending.add(new Pending(metric, source, device, app, aggregation, start, end, value, localDate,
                offsetSeconds));
        return this;
    }

    /** Inserts the rows added since the last call. */
    public void insert() throws SQLException {
        try (Connection connection = LocalStack.openAdminConnection(); PreparedStatement insert =
                connection.prepareStatement("""
                        INSERT INTO normalizer.unified_metric (user_id, source, source_record_id, metric, category, value,
                            unit, original_value, original_unit, aggregation, start_time, end_time, utc_offset,
                            local_date, zone, device, app, quality, quality_reasons, event_id, occurred_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, 1.0, '[]'::jsonb, ?, now())
                        """)) {
            for (Pending row : pending) {
                boolean steps = row.metric().equals("steps");
                String unit = steps ? "count" : "count/min";
                insert.setString(1, user);
                insert.setString(2, row.source());
                insert.setString(3, UUID.randomUUID().toString());
                insert.setString(4, row.metric());
                insert.setString(5, steps ? "activity" : "heart");
                insert.setDouble(6, row.value());
                insert.setString(7, unit);
                insert.setDouble(8, row.value());
                insert.setString(9, unit);
                insert.setString(10, row.aggregation());
                insert.setObject(11, row.start().atOffset(ZoneOffset.UTC));
                insert.setObject(12, row.end().atOffset(ZoneOffset.UTC));
                insert.setInt(13, row.offsetSeconds());
                insert.setObject(14, row.localDate());
                insert.setString(15, row.device());
                insert.setString(16, row.app());
                insert.setObject(17, UUID.randomUUID());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        pending.clear();
    }
}
