package io.healthmesh.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.gateway.config.GatewayConfig;
import io.healthmesh.gateway.domain.IdempotencyClaim;
import io.healthmesh.gateway.messaging.PushPublisher;
import io.healthmesh.gateway.repository.IdempotencyKeyRepository;
import io.smallrye.mutiny.Uni;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The keys' database unreachable (a PostgreSQL outage): a batch with an Idempotency-Key is a 503
 * with Retry-After that the client retries, never a 500, and nothing is published.
 */
class PushServiceStoreDownTest {

    private static final String BATCH = """
            {"source": "push", "readings": [{"id": "s-1", "metric": "heart_rate", "value": 61, "unit": "count/min",
              "start": "2024-03-12T07:01:00+01:00", "end": "2024-03-12T07:01:00+01:00"}]}""";

    @Test
    void aBatchWhoseKeyCannotBeCheckedIs503AndPublishesNothing() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        IdempotencyKeyRepository unreachable = new IdempotencyKeyRepository(null) {
            @Override
            public Uni<IdempotencyClaim> claim(String userId, String key, byte[] requestHash, Duration retention,
                    Duration claimTimeout) {
                return Uni.createFrom().failure(new ConnectException("Connection refused: /127.0.0.1:5432"));
            }
        };
        PushService service = new PushService(new PushBatchMapper(5000),
                new PushPublisher(producer, new TopicNames(Optional.empty())), unreachable, new ObjectMapper(),
                config());

        ProblemException refused = catchThrowableOfType(ProblemException.class, () -> service.push("u-1",
                Optional.of("key-1"), BATCH.getBytes(StandardCharsets.UTF_8)));

        assertThat(refused.problem().status()).isEqualTo(503);
        assertThat(refused.problem().type()).endsWith("idempotency-unavailable");
        assertThat(refused.retryAfterSeconds()).hasValue(PushService.STORE_RETRY_AFTER_SECONDS);
        assertThat(producer.history()).as("nothing published").isEmpty();
    }

    /** The push settings' defaults; PushService reads nothing else of the configuration. */
    private static GatewayConfig config() {
        GatewayConfig.Push.Idempotency idempotency = proxy(GatewayConfig.Push.Idempotency.class, name -> switch (name) {
            case "retention" -> Duration.ofHours(24);
            case "claimTimeout" -> Duration.ofSeconds(60);
            default -> Duration.ofMinutes(10);
        });
        GatewayConfig.Push push = proxy(GatewayConfig.Push.class, name -> switch (name) {
            case "maxReadings" -> 5000;
            case "sendTimeout" -> Duration.ofSeconds(15);
            default -> idempotency;
        });
        return proxy(GatewayConfig.class, name -> push);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, java.util.function.Function<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> answers.apply(method.getName()));
    }
}
