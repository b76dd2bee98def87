package io.healthmesh.demo;

import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.contracts.source.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Sends demo events to the raw topics as the project's producers do, and waits for every ack. */
final class DemoPublisher implements AutoCloseable {

    /** The project's rule: a send that cannot complete in about 15 s fails. */
    private static final int SEND_TIMEOUT_MS = 15_000;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topicPrefix;

    DemoPublisher(String bootstrapServers, String topicPrefix) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "healthmesh-demo-data");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, SEND_TIMEOUT_MS);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, SEND_TIMEOUT_MS);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * SEND_TIMEOUT_MS);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.topicPrefix = topicPrefix;
    }

    /**
     * Sends every event, keyed by its userId, and returns once the broker acknowledged all of
     * them; throws on the first send that failed.
     */
    void publish(List<DemoEvent> events) throws ExecutionException, InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (DemoEvent event : events) {
            String topic = Topics.prefixed(topicPrefix, event.topic());
            byte[] key = event.envelope().userId().getBytes(StandardCharsets.UTF_8);
            byte[] value = EventJson.write(event.envelope());
            Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(topic, key, value));
            // A broker that cannot be reached fails each send only after max.block.ms, inside its
            // future: stop at the first such failure instead of waiting that long for every event.
            if (ack.isDone()) {
                ack.get();
            }
            acks.add(ack);
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    @Override
    public void close() {
        // Every ack has been awaited or has failed by now; never hang on a broker that went away.
        producer.close(Duration.ofMillis(SEND_TIMEOUT_MS));
    }
}
