package io.healthmesh.imports.api;

import static io.healthmesh.imports.api.ImportApi.awaitState;
import static io.healthmesh.imports.api.ImportApi.internal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.imports.messaging.RawEventPublisher;
import io.healthmesh.testsupport.LocalStack;
import io.healthmesh.testsupport.RealStackResource;
import io.healthmesh.testsupport.apple.SyntheticExport;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A broker that stops acknowledging in the middle of a job: the job is released, and the retry
 * parses the file again but sends only the events after the last acknowledged one; the counters
 * end exactly as those of an import that never failed.
 */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class ImportRetryTest {

    private static final long ACKNOWLEDGED_BEFORE_THE_OUTAGE = 700;

    @Inject
    TopicNames topics;

    @Inject
    ObjectMapper json;

    @Test
    void aRetryAfterABrokerTimeoutResumesAfterTheAcknowledgedEventsWithExactCounts() throws Exception {
        Path export = Files.createTempFile("retry-export", ".xml");
        long minutes = 1440;
        SyntheticExport.writeXml(export, minutes);
        long events = SyntheticExport.recordsFor(minutes);
        assertThat(events).isGreaterThan(ACKNOWLEDGED_BEFORE_THE_OUTAGE);
        try {
            // A clean import of the same file: the counts a failed and resumed one must end with.
            String cleanUser = "retry-clean-" + UUID.randomUUID();
            String cleanId = upload(cleanUser, export);
            JsonPath clean = awaitState(cleanUser, cleanId, "publishing");

            String user = "retry-" + UUID.randomUUID();
            try (KafkaProducer<byte[], byte[]> real = new KafkaProducer<>(
                    RawEventPublisher.settings(LocalStack.kafkaBootstrapServers(), "retry-test"))) {
                QuarkusMock.installMockForType(new RawEventPublisher(timingOutAfter(real, user,
                        ACKNOWLEDGED_BEFORE_THE_OUTAGE), topics), RawEventPublisher.class);
                String id = upload(user, export);
                JsonPath resumed = awaitState(user, id, "publishing");

                assertThat(stored(id, "attempts")).as("one failed attempt, one that finished").isEqualTo(2);
                assertThat(resumed.getLong("progress.published")).isEqualTo(events)
                        .isEqualTo(clean.getLong("progress.published"));
                assertThat(resumed.getLong("progress.recordsRead")).isEqualTo(clean.getLong("progress.recordsRead"));
                assertThat(resumed.getLong("progress.bytesRead")).isEqualTo(clean.getLong("progress.bytesRead"));
                assertThat(resumed.getMap("progress.skipped")).isEqualTo(clean.getMap("progress.skipped"));
                assertThat(stored(id, "sent")).as("acknowledged events over both attempts").isEqualTo(events);
                assertThat(stored(id, "acked_events")).isEqualTo(events);

                // The retry sent only what the broker had not acknowledged: every event is on the topic once.
                List<JsonNode> onTopic = ImportApi.eventsOf(topics.deployed(Topics.RAW_APPLE_HEALTH), id, json);
                Set<String> distinct = onTopic.stream().map(e -> e.path("eventId").asText()).collect(Collectors.toSet());
                assertThat(distinct).hasSize((int) events);
                assertThat(onTopic).hasSize((int) events);
            }
        } finally {
            Files.deleteIfExists(export);
        }
    }

    private static String upload(String user, Path export) {
        return internal().contentType("application/xml").header("X-File-Name", "export.xml").body(export.toFile())
                .when().post("/internal/users/{u}/imports/apple-health", user)
                .then().statusCode(202)
                .body("state", equalTo("queued"))
                .extract().jsonPath().getString("id");
    }

    private static long stored(String id, String column) throws Exception {
        try (Connection db = LocalStack.openAdminConnection();
                PreparedStatement query = db.prepareStatement("select " + column + " from imports.import_job where id = ?")) {
            query.setObject(1, UUID.fromString(id));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /**
     * The real producer, except that once {@code after} records keyed by {@code user} went through,
     * the next one of that user times out as an unreachable broker's would (once: later sends pass).
     */
    @SuppressWarnings("unchecked")
    private static Producer<byte[], byte[]> timingOutAfter(Producer<byte[], byte[]> real, String user, long after) {
        byte[] key = user.getBytes(StandardCharsets.UTF_8);
        AtomicLong passed = new AtomicLong();
        AtomicBoolean armed = new AtomicBoolean(true);
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("send") && args.length == 2) {
                ProducerRecord<byte[], byte[]> record = (ProducerRecord<byte[], byte[]>) args[0];
                if (java.util.Arrays.equals(record.key(), key) && armed.get() && passed.get() >= after
                        && armed.compareAndSet(true, false)) {
                    TimeoutException timeout = new TimeoutException("Expiring 1 record(s) for " + record.topic()
                            + ": 15000 ms has passed since batch creation (simulated)");
                    ((Callback) args[1]).onCompletion(null, timeout);
                    return CompletableFuture.failedFuture(timeout);
                }
                if (java.util.Arrays.equals(record.key(), key)) {
                    passed.incrementAndGet();
                }
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Producer<byte[], byte[]>) Proxy.newProxyInstance(ImportRetryTest.class.getClassLoader(),
                new Class<?>[] {Producer.class}, handler);
    }
}
