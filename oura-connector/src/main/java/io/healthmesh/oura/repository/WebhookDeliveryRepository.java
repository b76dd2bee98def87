package io.healthmesh.oura.repository;

import io.healthmesh.connector.provider.DocumentChange;
import io.healthmesh.connector.sync.repository.NotificationRepository;
import io.healthmesh.contracts.source.SourceId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Takes a verified webhook delivery: its signature is remembered and the notification stored in
 * one transaction, so a replay of the same delivery is refused, and a delivery that could not be
 * stored leaves no trace (Oura delivers it again and it is taken then). Blocking.
 */
@ApplicationScoped
public class WebhookDeliveryRepository {

    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);

    private static final String REMEMBER = """
            INSERT INTO webhook_signature (signature) VALUES ($1) ON CONFLICT (signature) DO NOTHING
            """;

    private static final String FORGET = """
            DELETE FROM webhook_signature WHERE received_at < now() - $1 * interval '1 millisecond'
            """;

    private final Pool pool;
    private final NotificationRepository notifications;

    public WebhookDeliveryRepository(Pool pool, NotificationRepository notifications) {
        this.pool = pool;
        this.notifications = notifications;
    }

    /**
     * Remembers the signature and stores the notification; false (and nothing stored) when the
     * signature was seen before.
     */
    public boolean take(String signature, String ouraUserId, String dataType, DocumentChange change, String payload) {
        return pool.withTransaction(connection -> connection.preparedQuery(REMEMBER).execute(Tuple.of(signature))
                        .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(false)
                                : notifications.storeIn(connection, SourceId.OURA, ouraUserId, dataType, null, null,
                                        change, payload).replaceWith(true)))
                .await().atMost(DB_TIMEOUT);
    }

    /** Forgets signatures older than {@code age}: their timestamps are refused as stale anyway. */
    public int forgetOlderThan(Duration age) {
        return pool.preparedQuery(FORGET).execute(Tuple.of(age.toMillis())).await().atMost(DB_TIMEOUT).rowCount();
    }
}
