package io.healthmesh.connector.sync;

import io.healthmesh.testsupport.LocalStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The sync tables as the tests see them (plain JDBC as the admin role, schema-qualified). */
public final class SyncTables {

    private static final String S = SyncStackResource.SCHEMA + ".";

    private SyncTables() {
    }

    public record TaskRow(UUID id, String userId, String source, String dataType, String kind, Instant windowFrom,
            Instant windowTo, String state, String leaseOwner, Instant leaseExpiresAt, int attempts, Instant notBefore,
            String lastError) {
    }

    public record NotificationRow(UUID id, String providerUserId, String dataType, Instant processedAt) {
    }

    /** Every test starts from empty tables (tests of one app share the schema). */
    public static void reset() {
        update("DELETE FROM " + S + "sync_task");
        update("DELETE FROM " + S + "sync_cursor");
        update("DELETE FROM " + S + "sync_schedule");
        update("DELETE FROM " + S + "notification");
        update("DELETE FROM " + S + "rate_request");
        update("DELETE FROM " + S + "rate_pause");
    }

    /** When the source's shared budget is paused until, if it is. */
    public static Optional<Instant> pausedUntil(String source) {
        return single("SELECT (extract(epoch FROM until) * 1000)::bigint::text FROM " + S
                + "rate_pause WHERE source = ?", source).map(millis -> Instant.ofEpochMilli(Long.parseLong(millis)));
    }

    /** A task in any state, as another replica (alive or dead) may have left it. */
    public static UUID insertTask(String userId, String dataType, String kind, String state, String leaseOwner,
            Instant leaseExpiresAt, int attempts, Instant notBefore) {
        UUID id = UUID.randomUUID();
        try (Connection db = LocalStack.openAdminConnection(); PreparedStatement sql = db.prepareStatement("INSERT INTO "
                + S + "sync_task (id, user_id, source, data_type, kind, state, lease_owner, lease_expires_at, attempts,"
                + " not_before) VALUES (?, ?, 'withings', ?, ?, ?, ?, ?, ?, ?)")) {
            sql.setObject(1, id);
            sql.setString(2, userId);
            sql.setString(3, dataType);
            sql.setString(4, kind);
            sql.setString(5, state);
            sql.setString(6, leaseOwner);
            sql.setTimestamp(7, leaseExpiresAt == null ? null : Timestamp.from(leaseExpiresAt));
            sql.setInt(8, attempts);
            sql.setTimestamp(9, Timestamp.from(notBefore == null ? Instant.now().minusSeconds(1) : notBefore));
            sql.executeUpdate();
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static UUID queued(String userId, String dataType, String kind) {
        return insertTask(userId, dataType, kind, "queued", null, null, 0, null);
    }

    public static TaskRow task(UUID id) {
        return tasks("id = ?", id).get(0);
    }

    public static List<TaskRow> tasksOf(String userId) {
        return tasks("user_id = ?", userId);
    }

    public static List<TaskRow> allTasks() {
        return tasks("true", null);
    }

    private static List<TaskRow> tasks(String where, Object parameter) {
        try (Connection db = LocalStack.openAdminConnection(); PreparedStatement sql = db.prepareStatement(
                "SELECT * FROM " + S + "sync_task WHERE " + where + " ORDER BY created_at, data_type")) {
            if (parameter != null) {
                sql.setObject(1, parameter);
            }
            List<TaskRow> rows = new ArrayList<>();
            try (ResultSet row = sql.executeQuery()) {
                while (row.next()) {
                    rows.add(new TaskRow(row.getObject("id", UUID.class), row.getString("user_id"),
                            row.getString("source"), row.getString("data_type"), row.getString("kind"),
                            instant(row, "window_from"), instant(row, "window_to"), row.getString("state"),
                            row.getString("lease_owner"), instant(row, "lease_expires_at"), row.getInt("attempts"),
                            instant(row, "not_before"), row.getString("last_error")));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Optional<String> cursor(String userId, String dataType) {
        return single("SELECT cursor FROM " + S + "sync_cursor WHERE user_id = ? AND data_type = ?", userId, dataType);
    }

    public static void setCursor(String userId, String dataType, String cursor) {
        update("INSERT INTO " + S + "sync_cursor (user_id, source, data_type, cursor) VALUES (?, 'withings', ?, ?)",
                userId, dataType, cursor);
    }

    public static int cursorCount(String userId) {
        return Integer.parseInt(single("SELECT count(*)::text FROM " + S + "sync_cursor WHERE user_id = ?", userId)
                .orElseThrow());
    }

    public static Optional<Instant> nextSync(String userId) {
        try (Connection db = LocalStack.openAdminConnection(); PreparedStatement sql = db.prepareStatement(
                "SELECT next_sync FROM " + S + "sync_schedule WHERE user_id = ?")) {
            sql.setString(1, userId);
            try (ResultSet row = sql.executeQuery()) {
                return row.next() ? Optional.of(instant(row, "next_sync")) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void makeScheduleDue(String userId) {
        update("UPDATE " + S + "sync_schedule SET next_sync = now() - interval '1 second' WHERE user_id = ?", userId);
    }

    public static void addSchedule(String userId) {
        update("INSERT INTO " + S + "sync_schedule (user_id, source, next_sync, sync_interval)"
                + " VALUES (?, 'withings', now() - interval '1 second', interval '1 hour')", userId);
    }

    public static List<NotificationRow> notifications(String providerUserId) {
        try (Connection db = LocalStack.openAdminConnection(); PreparedStatement sql = db.prepareStatement(
                "SELECT id, provider_user_id, data_type, processed_at FROM " + S
                        + "notification WHERE provider_user_id = ?")) {
            sql.setString(1, providerUserId);
            List<NotificationRow> rows = new ArrayList<>();
            try (ResultSet row = sql.executeQuery()) {
                while (row.next()) {
                    rows.add(new NotificationRow(row.getObject("id", UUID.class), row.getString("provider_user_id"),
                            row.getString("data_type"), instant(row, "processed_at")));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The database's clock, which leases and not_before follow. */
    public static Instant dbNow() {
        return Instant.ofEpochMilli(Long.parseLong(single("SELECT (extract(epoch FROM now()) * 1000)::bigint::text")
                .orElseThrow()));
    }

    private static Optional<String> single(String query, Object... parameters) {
        try (Connection db = LocalStack.openAdminConnection(); PreparedStatement sql = db.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                sql.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = sql.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(String statement, Object... parameters) {
        try (Connection db = LocalStack.openAdminConnection(); PreparedStatement sql = db.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                sql.setObject(i + 1, parameters[i]);
            }
            sql.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
