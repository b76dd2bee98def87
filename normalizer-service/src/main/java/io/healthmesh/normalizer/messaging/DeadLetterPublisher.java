package io.healthmesh.normalizer.messaging;

import io.healthmesh.normalizer.domain.DeadLetter;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends refused records, one by one and byte for byte, to {@code <raw topic>.dlq} with the reason
 * and origin in headers. Completes only when the broker acknowledged every one, so the offsets of
 * refused records never move before their dead letter is safe.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    public static final String REASON_HEADER = "healthmesh-dlq-reason";
    public static final String TOPIC_HEADER = "healthmesh-dlq-topic";
    public static final String PARTITION_HEADER = "healthmesh-dlq-partition";
    public static final String OFFSET_HEADER = "healthmesh-dlq-offset";
    public static final String FAILED_AT_HEADER = "healthmesh-dlq-failed-at";
    private static final int MAX_HEADER_CHARS = 4_000;
    private static final int CONCURRENT_SENDS = 64;

    private final MutinyEmitter<byte[]> emitter;

    public DeadLetterPublisher(@Channel("dead-letters") @OnOverflow(value = OnOverflow.Strategy.BUFFER,
            bufferSize = 4096) MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> send(List<DeadLetter> deadLetters) {
        if (deadLetters.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sends = deadLetters.stream().map(this::send).toList();
        return Uni.join().all(sends).usingConcurrencyOf(CONCURRENT_SENDS).andFailFast().replaceWithVoid();
    }

    private Uni<Void> send(DeadLetter deadLetter) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, utf8(truncate(deadLetter.reason())));
        headers.add(TOPIC_HEADER, utf8(deadLetter.topic()));
        headers.add(PARTITION_HEADER, utf8(String.valueOf(deadLetter.partition())));
        headers.add(OFFSET_HEADER, utf8(String.valueOf(deadLetter.offset())));
        headers.add(FAILED_AT_HEADER, utf8(Instant.now().toString()));
        OutgoingKafkaRecordMetadata<byte[]> metadata = OutgoingKafkaRecordMetadata.<byte[]>builder()
                .withTopic(deadLetter.deadLetterTopic())
                .withKey(deadLetter.key())
                .withHeaders(headers)
                .build();
        byte[] value = deadLetter.value() == null ? new byte[0] : deadLetter.value();
        return Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(value, Metadata.of(metadata))));
    }

    private static String truncate(String reason) {
        return reason.length() <= MAX_HEADER_CHARS ? reason : reason.substring(0, MAX_HEADER_CHARS) + "...";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
