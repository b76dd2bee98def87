package io.healthmesh.commons.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The bounded wait for one unit of work's own sends, over a producer shared with other work
 * (MockProducer without auto-completion: the test decides when the broker answers what).
 */
class AcknowledgedSendsTest {

    private static final OffsetDateTime AT = OffsetDateTime.parse("2024-03-10T08:00:00+01:00");

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());

    private static Envelope event(String user, String id) {
        Reading reading = Reading.builder().sourceRecordId(id).metric("steps").value(10.0).unit("count")
                .start(AT).end(AT.plusMinutes(1)).build();
        return Envelope.reading(user, "push", reading, AT);
    }

    @Test
    void boundedWaitReturnsOnceItsOwnSendsAreAcknowledgedWhileOthersArePending() {
        AcknowledgedSends mine = new AcknowledgedSends(producer, "raw.push.v1", "the batch");
        AcknowledgedSends other = new AcknowledgedSends(producer, "raw.push.v1", "another batch");
        mine.send(event("u1", "a"));
        mine.send(event("u1", "b"));
        other.send(event("u2", "c"));
        // The broker answers in send order: mine's two, and never the other's.
        assertTrue(producer.completeNext());
        assertTrue(producer.completeNext());

        mine.awaitAcknowledged(Duration.ofSeconds(5));

        assertEquals(2, mine.acknowledged());
        assertEquals(0, other.acknowledged());
        assertFalse(producer.flushed(), "the bounded wait must not flush the shared producer");
    }

    @Test
    void boundedWaitEndsWhenAcknowledgementsArriveWhileWaiting() throws Exception {
        AcknowledgedSends mine = new AcknowledgedSends(producer, "raw.push.v1", "the batch");
        mine.send(event("u1", "a"));
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> mine.awaitAcknowledged(Duration.ofSeconds(30)));
        assertThrows(TimeoutException.class, () -> waiting.get(200, TimeUnit.MILLISECONDS),
                "nothing is acknowledged yet, so the wait cannot have ended");

        assertTrue(producer.completeNext());

        waiting.get(10, TimeUnit.SECONDS);
        assertEquals(1, mine.acknowledged());
    }

    @Test
    void boundedWaitFailsWhenTheBoundPassesFirst() {
        AcknowledgedSends mine = new AcknowledgedSends(producer, "raw.push.v1", "the batch");
        mine.send(event("u1", "a"));
        mine.send(event("u1", "b"));
        assertTrue(producer.completeNext());

        PublishFailedException failed = assertThrows(PublishFailedException.class,
                () -> mine.awaitAcknowledged(Duration.ofMillis(200)));

        assertInstanceOf(TimeoutException.class, failed.getCause());
        assertTrue(failed.getMessage().contains("1 of 2"), failed.getMessage());
        // Later sends of the same unit of work fail at once: it is already reported failed.
        assertThrows(PublishFailedException.class, () -> mine.send(event("u1", "c")));
    }

    @Test
    void boundedWaitFailsWithTheBrokersRefusal() {
        AcknowledgedSends mine = new AcknowledgedSends(producer, "raw.push.v1", "the batch");
        mine.send(event("u1", "a"));
        mine.send(event("u1", "b"));
        NotEnoughReplicasException refusal = new NotEnoughReplicasException("not enough in-sync replicas");
        assertTrue(producer.errorNext(refusal));

        // The second send is still pending: a refusal ends the wait without waiting for it.
        PublishFailedException failed = assertThrows(PublishFailedException.class,
                () -> mine.awaitAcknowledged(Duration.ofSeconds(30)));

        assertSame(refusal, failed.getCause());
    }

    @Test
    void boundedWaitWithNothingSentReturnsAtOnce() {
        AcknowledgedSends mine = new AcknowledgedSends(producer, "raw.push.v1", "the batch");

        mine.awaitAcknowledged(Duration.ZERO);

        assertEquals(0, mine.acknowledged());
    }

    @Test
    void unboundedWaitStillFlushes() {
        AcknowledgedSends mine = new AcknowledgedSends(producer, "raw.push.v1", "the job's events");
        mine.send(event("u1", "a"));

        // MockProducer's flush completes every pending send, as a real flush waits for them.
        mine.awaitAcknowledged();

        assertTrue(producer.flushed());
        assertEquals(1, mine.acknowledged());
    }
}
