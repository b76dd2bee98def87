package io.healthmesh.connector.repository;

import io.healthmesh.contracts.status.ConnectionState;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;

/**
 * The connection and oauth_state tables (V900). Every method takes the client to run on: the pool,
 * or a connection inside a transaction (the refresh under the row lock, a report published before
 * its transaction commits). Times come from the database's clock.
 */
@ApplicationScoped
public class ConnectionRepository {

    /** The name of the index that keeps a provider's user with one of our users per source. */
    public static final String PROVIDER_USER_INDEX = "connection_provider_user_once";

    private static final String COLUMNS = """
            user_id, source, provider_user_id, state, reason, progress, scope, connected_at,
            last_successful_sync, next_sync, updated_at
            """;

    /** Per row, updated_at only grows, so readers that keep the latest report keep the right one. */
    private static final String NEXT_UPDATED_AT =
            "greatest(clock_timestamp(), connection.updated_at + interval '1 microsecond')";

    private static final String FIND = "SELECT " + COLUMNS + " FROM connection WHERE user_id = $1 AND source = $2";

    private static final String BY_PROVIDER_USER = "SELECT " + COLUMNS
            + " FROM connection WHERE source = $1 AND provider_user_id = $2 AND state <> 'disconnected'";

    private static final String TOKENS = """
            SELECT user_id, source, provider_user_id, state, access_token, refresh_token, key_id,
                (access_expires_at IS NOT NULL
                    AND access_expires_at <= clock_timestamp() + $3::bigint * interval '1 millisecond') AS expiring
            FROM connection WHERE user_id = $1 AND source = $2
            """;

    /** A new or renewed connection: fresh tokens, state connected, nothing of the old grant kept. */
    private static final String CONNECT = """
            INSERT INTO connection (user_id, source, provider_user_id, state, reason, progress, access_token,
                refresh_token, key_id, access_expires_at, scope, connected_at, updated_at)
            VALUES ($1, $2, $3, 'connected', NULL, NULL, $4, $5, $6,
                clock_timestamp() + $7::bigint * interval '1 millisecond', $8, now(), clock_timestamp())
            ON CONFLICT (user_id, source) DO UPDATE SET
                provider_user_id = EXCLUDED.provider_user_id, state = 'connected', reason = NULL, progress = NULL,
                access_token = EXCLUDED.access_token, refresh_token = EXCLUDED.refresh_token,
                key_id = EXCLUDED.key_id, access_expires_at = EXCLUDED.access_expires_at, scope = EXCLUDED.scope,
                connected_at = EXCLUDED.connected_at, updated_at = %s
            RETURNING %s
            """.formatted(NEXT_UPDATED_AT, COLUMNS);

    /** New access token and (rotated or re-encrypted) refresh token together: one statement, one commit. */
    private static final String REFRESHED = """
            UPDATE connection SET access_token = $3, refresh_token = $4, key_id = $5,
                access_expires_at = clock_timestamp() + $6::bigint * interval '1 millisecond',
                scope = coalesce($7, scope), updated_at = %s
            WHERE user_id = $1 AND source = $2 AND state NOT IN ('disconnected', 'token_expired')
            """.formatted(NEXT_UPDATED_AT);

    /**
     * A report. A disconnected or token_expired connection leaves that state only through a new
     * connect: a sync that finishes after its connection was disconnected cannot revive it.
     */
    private static final String REPORT = """
            UPDATE connection SET state = $3, progress = $4, reason = $5,
                last_successful_sync = coalesce($6::timestamptz, last_successful_sync),
                next_sync = coalesce($7::timestamptz, next_sync), updated_at = %s
            WHERE user_id = $1 AND source = $2
              AND (state NOT IN ('disconnected', 'token_expired') OR $3 = 'disconnected' OR state = $3)
              AND ($3 <> 'syncing' OR state IN ('connected', 'syncing', 'error'))
            RETURNING %s
            """.formatted(NEXT_UPDATED_AT, COLUMNS);

    /** Tokens deleted, state disconnected; the row (and everything imported) stays. */
    private static final String DISCONNECT = """
            UPDATE connection SET state = 'disconnected', access_token = NULL, refresh_token = NULL, key_id = NULL,
                access_expires_at = NULL, reason = NULL, progress = NULL, next_sync = NULL, updated_at = %s
            WHERE user_id = $1 AND source = $2 AND state <> 'disconnected'
            RETURNING %s
            """.formatted(NEXT_UPDATED_AT, COLUMNS);

    private static final String PURGE_STATES = "DELETE FROM oauth_state WHERE expires_at < now() - interval '1 day'";

    private static final String INSERT_STATE = """
            INSERT INTO oauth_state (id, user_id, source, code_verifier, expires_at)
            VALUES ($1, $2, $3, $4, now() + $5::bigint * interval '1 millisecond')
            """;

    /** Exactly once: of two callbacks racing on one state, one gets the row, the other nothing. */
    private static final String CONSUME_STATE = """
            UPDATE oauth_state SET used_at = clock_timestamp()
            WHERE id = $1 AND source = $2 AND used_at IS NULL AND expires_at > clock_timestamp()
            RETURNING user_id, code_verifier
            """;

    private static final String STATE_FATE = """
            SELECT CASE WHEN used_at IS NOT NULL THEN 'used' WHEN expires_at <= clock_timestamp() THEN 'expired'
                        ELSE 'open' END AS fate
            FROM oauth_state WHERE id = $1 AND source = $2
            """;

    public Uni<Optional<ConnectionRecord>> find(SqlClient client, String userId, String source) {
        return client.preparedQuery(FIND).execute(Tuple.of(userId, source)).map(ConnectionRepository::first);
    }

    public Uni<Optional<ConnectionRecord>> byProviderUser(SqlClient client, String source, String providerUserId) {
        return client.preparedQuery(BY_PROVIDER_USER).execute(Tuple.of(source, providerUserId))
                .map(ConnectionRepository::first);
    }

    /** The encrypted tokens; {@code lock} takes the row lock (inside a transaction) until it ends. */
    public Uni<Optional<TokenRecord>> tokens(SqlClient client, String userId, String source, Duration margin,
            boolean lock) {
        return client.preparedQuery(lock ? TOKENS + " FOR UPDATE" : TOKENS)
                .execute(Tuple.of(userId, source, margin.toMillis()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new TokenRecord(row.getString("user_id"), row.getString("source"),
                            row.getString("provider_user_id"), state(row.getString("state")),
                            bytes(row, "access_token"), bytes(row, "refresh_token"), row.getString("key_id"),
                            Boolean.TRUE.equals(row.getBoolean("expiring"))));
                });
    }

    public Uni<ConnectionRecord> connect(SqlClient client, String userId, String source, String providerUserId,
            byte[] accessToken, byte[] refreshToken, String keyId, Duration expiresIn, String scope) {
        return client.preparedQuery(CONNECT).execute(Tuple.tuple(Arrays.asList(userId, source, providerUserId,
                        buffer(accessToken), buffer(refreshToken), keyId, millis(expiresIn), scope)))
                .map(rows -> first(rows).orElseThrow());
    }

    /** False when the connection was disconnected or expired meanwhile (nothing written). */
    public Uni<Boolean> refreshed(SqlClient client, String userId, String source, byte[] accessToken,
            byte[] refreshToken, String keyId, Duration expiresIn, String scope) {
        return client.preparedQuery(REFRESHED).execute(Tuple.tuple(Arrays.asList(userId, source,
                        buffer(accessToken), buffer(refreshToken), keyId, millis(expiresIn), scope)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The row as reported; empty when there is no connection or its state does not allow this report. */
    public Uni<Optional<ConnectionRecord>> report(SqlClient client, String userId, String source,
            ConnectionState state, Double progress, String reason, OffsetDateTime lastSuccessfulSync,
            OffsetDateTime nextSync) {
        return client.preparedQuery(REPORT).execute(Tuple.tuple(Arrays.asList(userId, source, state.code(), progress,
                        reason, lastSuccessfulSync, nextSync)))
                .map(ConnectionRepository::first);
    }

    public Uni<Optional<ConnectionRecord>> disconnect(SqlClient client, String userId, String source) {
        return client.preparedQuery(DISCONNECT).execute(Tuple.of(userId, source)).map(ConnectionRepository::first);
    }

    /** Stores a new state (and purges those expired a day ago). */
    public Uni<Void> insertState(SqlClient client, String id, String userId, String source, byte[] codeVerifier,
            Duration ttl) {
        return client.query(PURGE_STATES).execute()
                .chain(() -> client.preparedQuery(INSERT_STATE).execute(Tuple.tuple(Arrays.asList(id, userId, source,
                        buffer(codeVerifier), ttl.toMillis()))))
                .replaceWithVoid();
    }

    /** Consumes the state once; empty when it is unknown, used, expired or another source's. */
    public Uni<Optional<ConsumedState>> consumeState(SqlClient client, String id, String source) {
        return client.preparedQuery(CONSUME_STATE).execute(Tuple.of(id, source)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row row = rows.iterator().next();
            return Optional.of(new ConsumedState(row.getString("user_id"), bytes(row, "code_verifier")));
        });
    }

    /** Why a state could not be consumed: {@code used}, {@code expired}, {@code open} or empty (unknown). */
    public Uni<Optional<String>> stateFate(SqlClient client, String id, String source) {
        return client.preparedQuery(STATE_FATE).execute(Tuple.of(id, source)).map(rows -> rows.size() == 0
                ? Optional.empty() : Optional.of(rows.iterator().next().getString("fate")));
    }

    private static Optional<ConnectionRecord> first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new ConnectionRecord(row.getString("user_id"), row.getString("source"),
                row.getString("provider_user_id"), state(row.getString("state")), row.getString("reason"),
                row.getDouble("progress"), row.getString("scope"), row.getOffsetDateTime("connected_at"),
                row.getOffsetDateTime("last_successful_sync"), row.getOffsetDateTime("next_sync"),
                row.getOffsetDateTime("updated_at")));
    }

    static ConnectionState state(String code) {
        for (ConnectionState state : ConnectionState.values()) {
            if (state.code().equals(code)) {
                return state;
            }
        }
        throw new IllegalStateException("Unknown connection state in the database: " + code);
    }

    private static byte[] bytes(Row row, String column) {
        io.vertx.mutiny.core.buffer.Buffer value = row.getBuffer(column);
        return value == null ? null : value.getBytes();
    }

    private static Buffer buffer(byte[] value) {
        return value == null ? null : Buffer.buffer(value);
    }

    private static Long millis(Duration duration) {
        return duration == null ? null : duration.toMillis();
    }
}
