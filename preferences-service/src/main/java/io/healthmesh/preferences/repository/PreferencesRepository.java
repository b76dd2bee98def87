package io.healthmesh.preferences.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.contracts.status.ConnectionState;
import io.healthmesh.contracts.status.ConnectionStatus;
import io.healthmesh.preferences.domain.PolicySnapshot;
import io.healthmesh.preferences.domain.UserPreferences;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Users' choices and connection reports in PostgreSQL. Every change runs in one transaction that
 * holds the user's row lock, so concurrent changes of one user (on any replica) apply one after
 * the other and each gets its own version.
 */
@ApplicationScoped
public class PreferencesRepository {

    private static final String ENSURE_ROW = """
            INSERT INTO user_preferences (user_id, version, preferences, updated_at)
            VALUES ($1, 0, '{}'::jsonb, now()) ON CONFLICT (user_id) DO NOTHING
            """;
    private static final String LOCK_ROW = """
            SELECT version, preferences::text AS preferences, updated_at FROM user_preferences
            WHERE user_id = $1 FOR UPDATE
            """;
    /**
     * The user's row (nulls for a user never seen) and connected sources in one statement: one
     * round trip per policy read (the normalizer asks for it on every read that needs it), and one
     * snapshot of both.
     */
    private static final String READ_POLICY = """
            SELECT p.version, p.preferences::text AS preferences, p.updated_at,
                   ARRAY(SELECT c.source FROM connection_status c
                         WHERE c.user_id = $1 AND c.state <> 'disconnected' ORDER BY c.source) AS connected
            FROM (VALUES (1)) AS one LEFT JOIN user_preferences p ON p.user_id = $1
            """;
    private static final String NEXT_VERSION = """
            UPDATE user_preferences
            SET preferences = $2::text::jsonb, updated_at = now(),
                version = greatest(version + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
            WHERE user_id = $1
            RETURNING version, updated_at
            """;
    private static final String CONNECTED = """
            SELECT source FROM connection_status WHERE user_id = $1 AND state <> 'disconnected' ORDER BY source
            """;
    private static final String CONNECTIONS = """
            SELECT user_id, source, state, progress, reason, last_successful_sync, next_sync, updated_at
            FROM connection_status WHERE user_id = $1 ORDER BY source
            """;
    private static final String SAVE_STATUS = """
            INSERT INTO connection_status (user_id, source, state, progress, reason, last_successful_sync,
                next_sync, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (user_id, source) DO UPDATE SET
                state = EXCLUDED.state, progress = EXCLUDED.progress, reason = EXCLUDED.reason,
                last_successful_sync = EXCLUDED.last_successful_sync, next_sync = EXCLUDED.next_sync,
                updated_at = EXCLUDED.updated_at
            WHERE connection_status.updated_at <= EXCLUDED.updated_at
            """;

    private final Pool pool;
    private final ObjectMapper json;

    public PreferencesRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** The user's current snapshot (version 0 and no choices for a user never seen). */
    public Uni<PolicySnapshot> find(String userId) {
        return findStored(userId).map(this::snapshot);
    }

    /**
     * The user's current row with the choices still as stored (JSON text, null for a user never
     * seen): what decides whether a reader's copy of the policy is current, before anything is parsed.
     */
    public Uni<StoredPolicy> findStored(String userId) {
        return pool.preparedQuery(READ_POLICY).execute(Tuple.of(userId)).map(rows -> {
            Row row = rows.iterator().next();
            Set<String> connected = new LinkedHashSet<>(Arrays.asList(row.getArrayOfStrings("connected")));
            if (row.getValue("version") == null) {
                return new StoredPolicy(userId, 0, null, connected, null);
            }
            return new StoredPolicy(userId, row.getLong("version"), row.getString("preferences"), connected,
                    row.getOffsetDateTime("updated_at"));
        });
    }

    public PolicySnapshot snapshot(StoredPolicy stored) {
        return new PolicySnapshot(stored.userId(), stored.version(),
                stored.choices() == null ? UserPreferences.NONE : parse(stored.choices()), stored.connectedSources(),
                stored.updatedAt());
    }

    /** A user's row as read: version, choices as stored JSON (null: never seen), connected sources. */
    public record StoredPolicy(String userId, long version, String choices, Set<String> connectedSources,
            OffsetDateTime updatedAt) {
    }

    /**
     * Applies a change of the user's choices as a new version, then runs {@code publish} on the
     * new snapshot before committing: if publishing fails, nothing changes.
     */
    public Uni<PolicySnapshot> change(String userId, UnaryOperator<UserPreferences> change,
            Function<PolicySnapshot, Uni<Void>> publish) {
        return pool.withTransaction(connection -> lock(connection, userId)
                .chain(current -> nextVersion(connection, userId, change.apply(current.preferences())))
                .call(publish::apply));
    }

    /**
     * Stores a connection report unless a newer one is stored. When it changes whether the source
     * counts as connected, the policy gets a new version, published before the commit.
     */
    public Uni<Void> saveStatus(ConnectionStatus status, Function<PolicySnapshot, Uni<Void>> publish) {
        return pool.withTransaction(connection -> lock(connection, status.userId())
                .chain(before -> connection.preparedQuery(SAVE_STATUS).execute(Tuple.tuple(Arrays.asList(
                                status.userId(), status.source(), status.state().code(), status.progress(),
                                status.reason(), status.lastSuccessfulSync(), status.nextSync(),
                                status.updatedAt())))
                        .chain(() -> connected(connection, status.userId()))
                        .chain(after -> after.equals(before.connectedSources())
                                ? Uni.createFrom().voidItem()
                                : nextVersion(connection, status.userId(), before.preferences())
                                        .call(publish::apply).replaceWithVoid())));
    }

    public Uni<List<ConnectionStatus>> connections(String userId) {
        return pool.preparedQuery(CONNECTIONS).execute(Tuple.of(userId)).map(PreferencesRepository::toStatuses);
    }

    private Uni<PolicySnapshot> lock(SqlConnection connection, String userId) {
        return connection.preparedQuery(ENSURE_ROW).execute(Tuple.of(userId))
                .chain(() -> connection.preparedQuery(LOCK_ROW).execute(Tuple.of(userId)))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    return connected(connection, userId).map(connected -> new PolicySnapshot(userId,
                            row.getLong("version"), parse(row.getString("preferences")), connected,
                            row.getOffsetDateTime("updated_at")));
                });
    }

    private Uni<PolicySnapshot> nextVersion(SqlConnection connection, String userId, UserPreferences preferences) {
        return connection.preparedQuery(NEXT_VERSION).execute(Tuple.of(userId, write(preferences)))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    return connected(connection, userId).map(connected -> new PolicySnapshot(userId,
                            row.getLong("version"), preferences, connected, row.getOffsetDateTime("updated_at")));
                });
    }

    private static Uni<Set<String>> connected(SqlClient client, String userId) {
        return client.preparedQuery(CONNECTED).execute(Tuple.of(userId)).map(rows -> {
            Set<String> sources = new LinkedHashSet<>();
            rows.forEach(row -> sources.add(row.getString("source")));
            return sources;
        });
    }

    private static List<ConnectionStatus> toStatuses(RowSet<Row> rows) {
        List<ConnectionStatus> statuses = new ArrayList<>();
        for (Row row : rows) {
            statuses.add(new ConnectionStatus(row.getString("user_id"), row.getString("source"),
                    ConnectionState.valueOf(row.getString("state").toUpperCase(Locale.ROOT)),
                    row.getDouble("progress"), row.getString("reason"), row.getOffsetDateTime("last_successful_sync"),
                    row.getOffsetDateTime("next_sync"), row.getOffsetDateTime("updated_at")));
        }
        return statuses;
    }

    private UserPreferences parse(String document) {
        try {
            return json.readValue(document, UserPreferences.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored preferences are not readable", e);
        }
    }

    private String write(UserPreferences preferences) {
        try {
            return json.writeValueAsString(preferences);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write preferences", e);
        }
    }
}
