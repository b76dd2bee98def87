package io.healthmesh.gateway.repository;

import io.healthmesh.gateway.domain.IdempotencyClaim;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

/**
 * Idempotency-Key records per (user, key) in PostgreSQL, so that every gateway replica sees the
 * same claims. Times are the database's ({@code now()}), never a replica's clock.
 */
@ApplicationScoped
public class IdempotencyKeyRepository {

    /**
     * Inserts the claim, or takes over a row that expired, or an in-flight claim of the same body
     * whose request never finished (its replica died) once the claim timeout passed. Concurrent
     * claims of one key queue on the row: exactly one inserts or takes over, the others get no row.
     */
    private static final String CLAIM = """
            INSERT INTO idempotency_key (user_id, idem_key, request_hash, claim_id, state, claimed_at, expires_at)
            VALUES ($1, $2, $3, $4, 'in_flight', now(), now() + make_interval(secs => $5))
            ON CONFLICT (user_id, idem_key) DO UPDATE SET
                request_hash = EXCLUDED.request_hash, claim_id = EXCLUDED.claim_id, state = 'in_flight',
                claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at,
                response_status = NULL, response_body = NULL
            WHERE idempotency_key.expires_at <= now()
               OR (idempotency_key.state = 'in_flight'
                   AND idempotency_key.request_hash = EXCLUDED.request_hash
                   AND idempotency_key.claimed_at <= now() - make_interval(secs => $6))
            RETURNING claim_id
            """;
    private static final String FIND = """
            SELECT request_hash, state, response_status, response_body FROM idempotency_key
            WHERE user_id = $1 AND idem_key = $2 AND expires_at > now()
            """;
    private static final String COMPLETE = """
            UPDATE idempotency_key SET state = 'completed', response_status = $4, response_body = $5
            WHERE user_id = $1 AND idem_key = $2 AND claim_id = $3 AND state = 'in_flight'
            """;
    private static final String RELEASE = """
            DELETE FROM idempotency_key
            WHERE user_id = $1 AND idem_key = $2 AND claim_id = $3 AND state = 'in_flight'
            """;
    /** One chunk of expired rows; rows another replica is deleting (or a claim is taking over) are skipped. */
    private static final String DELETE_EXPIRED = """
            DELETE FROM idempotency_key WHERE (user_id, idem_key) IN (
                SELECT user_id, idem_key FROM idempotency_key WHERE expires_at <= now()
                LIMIT $1 FOR UPDATE SKIP LOCKED)
            """;

    private final Pool pool;

    public IdempotencyKeyRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Claims the key for a request whose body hashes to {@code requestHash}, or tells what holds it.
     *
     * @param retention how long the key is kept from now
     * @param claimTimeout how long an unfinished claim blocks other requests
     */
    public Uni<IdempotencyClaim> claim(String userId, String key, byte[] requestHash, Duration retention,
            Duration claimTimeout) {
        UUID claimId = UUID.randomUUID();
        Tuple claim = Tuple.tuple(Arrays.asList(userId, key, Buffer.buffer(requestHash), claimId,
                seconds(retention), seconds(claimTimeout)));
        return pool.preparedQuery(CLAIM).execute(claim).chain(rows -> {
            if (rows.size() > 0) {
                return Uni.createFrom().item(new IdempotencyClaim.Claimed(claimId));
            }
            return pool.preparedQuery(FIND).execute(Tuple.of(userId, key))
                    .map(found -> found.size() == 0 ? null : holder(found.iterator().next(), requestHash));
        });
    }

    /** Stores the answer of a claimed request; false when the claim is no longer this request's. */
    public Uni<Boolean> complete(String userId, String key, UUID claimId, int status, String body) {
        return pool.preparedQuery(COMPLETE)
                .execute(Tuple.tuple(Arrays.asList(userId, key, claimId, status, body)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Gives up a claim whose request failed, so that a retry can claim the key again. */
    public Uni<Boolean> release(String userId, String key, UUID claimId) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(userId, key, claimId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Deletes at most {@code limit} expired keys; answers how many it deleted. */
    public Uni<Integer> deleteExpired(int limit) {
        return pool.preparedQuery(DELETE_EXPIRED).execute(Tuple.of(limit)).map(rows -> rows.rowCount());
    }

    /**
     * What holds a key this request could not claim; null when the row vanished between the claim
     * and this read (released or deleted): the caller claims again.
     */
    private static IdempotencyClaim holder(Row row, byte[] requestHash) {
        if (!Arrays.equals(row.getBuffer("request_hash").getBytes(), requestHash)) {
            return new IdempotencyClaim.OtherBody();
        }
        if ("completed".equals(row.getString("state"))) {
            return new IdempotencyClaim.Completed(row.getInteger("response_status"), row.getString("response_body"));
        }
        return new IdempotencyClaim.InFlight();
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
