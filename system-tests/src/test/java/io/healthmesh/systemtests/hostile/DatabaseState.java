package io.healthmesh.systemtests.hostile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the services keep about some users, as one comparable map: every row a request of (or
 * about) them could leave in any service's schema. The test database is shared with other
 * checkouts' tests, so everything is filtered by the users, never counted table-wide.
 *
 * <p>Left out on purpose: {@code gateway.rate_limit_window}, which counts every request of a
 * user, refused or not, by design.
 */
final class DatabaseState {

    /** Per table, what identifies a user's rows and what of them must not change. */
    private static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("normalizer.unified_metric", "select count(*)::text from normalizer.unified_metric where user_id = ?");
        QUERIES.put("normalizer.health_session", "select count(*)::text from normalizer.health_session where user_id = ?");
        QUERIES.put("normalizer.record_tombstone",
                "select count(*)::text from normalizer.record_tombstone where user_id = ?");
        // Id and state of each job: a refused cancel or mapping of someone else's job must leave its state.
        QUERIES.put("imports.import_job", "select coalesce(string_agg(id::text || ':' || state || ':'"
                + " || coalesce(mapping::text, '-'), ',' order by id), '') from imports.import_job where user_id = ?");
        QUERIES.put("preferences.user_preferences", "select coalesce(string_agg(version::text || ':' || preferences::text,"
                + " ','), '') from preferences.user_preferences where user_id = ?");
        QUERIES.put("preferences.connection_status",
                "select count(*)::text from preferences.connection_status where user_id = ?");
        QUERIES.put("gateway.idempotency_key", "select count(*)::text from gateway.idempotency_key where user_id = ?");
        for (String connector : List.of("withings", "oura")) {
            QUERIES.put(connector + ".connection",
                    "select count(*)::text from " + connector + ".connection where user_id = ?");
            QUERIES.put(connector + ".oauth_state",
                    "select count(*)::text from " + connector + ".oauth_state where user_id = ?");
            QUERIES.put(connector + ".sync_task", "select count(*)::text from " + connector + ".sync_task where user_id = ?");
            // Notifications name the provider's user; the tests put their marker there and in the body.
            QUERIES.put(connector + ".notification", "select count(*)::text from " + connector + ".notification"
                    + " where provider_user_id = ? or strpos(coalesce(payload, ''), ?) > 0");
        }
    }

    private final Supplier<Connection> connections;

    DatabaseState(Supplier<Connection> connections) {
        this.connections = connections;
    }

    /** "table[user]" to what that table holds of the user, for every table and user. */
    Map<String, String> of(List<String> users) throws SQLException {
        Map<String, String> state = new LinkedHashMap<>();
        try (Connection db = connections.get()) {
            for (String user : users) {
                for (Map.Entry<String, String> query : QUERIES.entrySet()) {
                    try (PreparedStatement statement = db.prepareStatement(query.getValue())) {
                        int parameters = statement.getParameterMetaData().getParameterCount();
                        for (int i = 1; i <= parameters; i++) {
                            statement.setString(i, user);
                        }
                        try (ResultSet row = statement.executeQuery()) {
                            row.next();
                            state.put(query.getKey() + "[" + user + "]", row.getString(1));
                        }
                    }
                }
            }
        }
        return state;
    }
}
