package io.healthmesh.normalizer.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What operators watch of the consumer side (Prometheus at /q/metrics):
 * {@code healthmesh_normalizer_readings_consumed_total} (raw records of applied polls),
 * {@code ..._written_total} (records accepted and durable) and {@code ..._dead_lettered_total}
 * (records sent to a {@code .dlq}). A poll retried after a failure counts once, when it is applied.
 * Consumer lag comes from the Kafka client metrics (kafka_consumer_fetch_manager_records_lag_max).
 */
@ApplicationScoped
public class PipelineMetrics {

    private final Counter consumed;
    private final Counter written;
    private final Counter deadLettered;

    public PipelineMetrics(MeterRegistry registry) {
        this.consumed = Counter.builder("healthmesh.normalizer.readings.consumed")
                .description("Raw records of applied polls").register(registry);
        this.written = Counter.builder("healthmesh.normalizer.readings.written")
                .description("Raw records accepted and durable in PostgreSQL").register(registry);
        this.deadLettered = Counter.builder("healthmesh.normalizer.readings.dead.lettered")
                .description("Raw records sent to their dead-letter topic").register(registry);
    }

    void consumed(int records) {
        consumed.increment(records);
    }

    void applied(int accepted, int deadLetters) {
        written.increment(accepted);
        deadLettered.increment(deadLetters);
    }
}
