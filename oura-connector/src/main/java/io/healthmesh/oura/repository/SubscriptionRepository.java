package io.healthmesh.oura.repository;

import io.healthmesh.oura.client.OuraWebhookApi.Subscription;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The app's webhook subscriptions as last seen at Oura (Oura's list is the truth; this is what the
 * replicas and operators can see without asking it). Blocking.
 */
@ApplicationScoped
public class SubscriptionRepository {

    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);

    private static final String UPSERT = """
            INSERT INTO webhook_subscription (id, event_type, data_type, callback_url, expiration_time, updated_at)
            VALUES ($1, $2, $3, $4, $5, now())
            ON CONFLICT (id) DO UPDATE SET event_type = excluded.event_type, data_type = excluded.data_type,
                callback_url = excluded.callback_url, expiration_time = excluded.expiration_time, updated_at = now()
            """;

    /** A subscription Oura no longer lists (deleted by hand, expired) is forgotten. */
    private static final String FORGET_OTHERS = "DELETE FROM webhook_subscription WHERE NOT (id = ANY($1))";

    private static final String ALL = """
            SELECT id, event_type, data_type, callback_url, expiration_time FROM webhook_subscription
            ORDER BY data_type, event_type
            """;

    private final Pool pool;

    public SubscriptionRepository(Pool pool) {
        this.pool = pool;
    }

    /** Replaces what is stored by what Oura lists now. */
    public void replaceAll(List<Subscription> subscriptions) {
        pool.withTransaction(connection -> {
            var forget = connection.preparedQuery(FORGET_OTHERS)
                    .execute(Tuple.of(subscriptions.stream().map(Subscription::id).toArray(String[]::new)));
            if (subscriptions.isEmpty()) {
                return forget.replaceWithVoid();
            }
            List<Tuple> rows = subscriptions.stream().map(s -> Tuple.tuple(Arrays.asList(s.id(), s.eventType(),
                    s.dataType(), s.callbackUrl(), s.expirationTime() == null ? null
                            : s.expirationTime().atOffset(ZoneOffset.UTC)))).toList();
            return forget.chain(() -> connection.preparedQuery(UPSERT).executeBatch(rows)).replaceWithVoid();
        }).await().atMost(DB_TIMEOUT);
    }

    public List<Subscription> all() {
        List<Subscription> all = new ArrayList<>();
        pool.preparedQuery(ALL).execute().await().atMost(DB_TIMEOUT).forEach(row -> all.add(subscription(row)));
        return all;
    }

    private static Subscription subscription(Row row) {
        OffsetDateTime expires = row.getOffsetDateTime("expiration_time");
        Instant expiration = expires == null ? null : expires.toInstant();
        return new Subscription(row.getString("id"), row.getString("callback_url"), row.getString("event_type"),
                row.getString("data_type"), expiration);
    }
}
