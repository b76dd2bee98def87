package io.healthmesh.normalizer.messaging;

import io.healthmesh.normalizer.domain.DeadLetter;
import io.healthmesh.normalizer.repository.UnifiedWriteRepository;
import io.healthmesh.normalizer.service.RawEventPlanner;
import io.healthmesh.normalizer.service.RawEventPlanner.Planned;
import io.healthmesh.normalizer.service.RawEventPlanner.RawRecord;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes every raw topic, one poll at a time: plan the poll's writes, apply them in one
 * transaction, dead-letter the refused records, publish the touched jobs' outcomes, and only then
 * acknowledge the poll so its offsets may be committed. A failure (PostgreSQL or Kafka away) retries
 * the whole poll with backoff; every step is idempotent, so a retry or a redelivery after a crash
 * changes nothing twice.
 */
@ApplicationScoped
public class RawEventConsumer {

    private static final Logger LOG = Logger.getLogger(RawEventConsumer.class);

    private final RawEventPlanner planner;
    private final UnifiedWriteRepository repository;
    private final DeadLetterPublisher deadLetters;
    private final OutcomePublisher outcomes;
    private final PipelineMetrics metrics;

    public RawEventConsumer(RawEventPlanner planner, UnifiedWriteRepository repository,
            DeadLetterPublisher deadLetters, OutcomePublisher outcomes, PipelineMetrics metrics) {
        this.planner = planner;
        this.repository = repository;
        this.deadLetters = deadLetters;
        this.outcomes = outcomes;
        this.metrics = metrics;
    }

    @Incoming("raw-events")
    public Uni<Void> consume(KafkaRecordBatch<byte[], byte[]> batch) {
        List<RawRecord> records = batch.getRecords().stream()
                .map(r -> new RawRecord(r.getTopic(), r.getPartition(), offsetOf(r), r.getKey(), r.getPayload()))
                .toList();
        return Uni.createFrom().deferred(() -> process(records))
                .onFailure().invoke(e -> LOG.warnf("Poll of %d raw records not applied (%s); retrying",
                        records.size(), e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .invoke(() -> metrics.consumed(records.size()))
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    private static long offsetOf(KafkaRecord<byte[], byte[]> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset)
                .orElse(-1L);
    }

    private Uni<Void> process(List<RawRecord> records) {
        Planned planned = planner.plan(records);
        return repository.apply(planned.plan())
                .chain(totals -> deadLetters.send(planned.deadLetters())
                        .chain(() -> outcomes.publish(totals)))
                .invoke(() -> metrics.applied(planned.accepted(), planned.deadLetters().size()))
                .onFailure(UnifiedWriteRepository::isDataError)
                .recoverWithUni(e -> {
                    LOG.warnf("PostgreSQL refused the data of a poll (%s); applying its %d records one by one",
                            e.getMessage(), records.size());
                    return processOneByOne(records);
                });
    }

    /**
     * The slow path for a poll the database refuses as a whole: each record alone, in log order,
     * so only the record the database cannot take is dead-lettered.
     */
    private Uni<Void> processOneByOne(List<RawRecord> records) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (RawRecord record : records) {
            chain = chain.chain(() -> processAlone(record));
        }
        return chain;
    }

    private Uni<Void> processAlone(RawRecord record) {
        Planned planned = planner.plan(List.of(record));
        return repository.apply(planned.plan())
                .chain(totals -> deadLetters.send(planned.deadLetters()).chain(() -> outcomes.publish(totals)))
                .invoke(() -> metrics.applied(planned.accepted(), planned.deadLetters().size()))
                .onFailure(UnifiedWriteRepository::isDataError)
                .recoverWithUni(e -> deadLetters.send(List.of(new DeadLetter(record.topic(), record.partition(),
                        record.offset(), record.key(), record.value(), "rejected by the database: " + e.getMessage())))
                        .invoke(() -> metrics.applied(0, 1)));
    }
}
