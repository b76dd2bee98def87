package io.healthmesh.systemtests.hostile;

import io.healthmesh.testsupport.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Every record of a run's topics that mentions a marker (in every user id the suite watches),
 * read from the beginning by one consumer that keeps its place: a check after each case only reads
 * what arrived since the last one, instead of a new consumer reading every topic again per case.
 * Other records are read and dropped: the topics also hold other suites' whole imports.
 */
final class TopicWatch implements AutoCloseable {

    private static final Duration READ_TO_END_WITHIN = Duration.ofSeconds(30);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final List<String> seen = new ArrayList<>();
    private final String marker;

    TopicWatch(String bootstrap, Collection<String> topics, String marker) {
        this.marker = marker;
        consumer = TestKafka.byteReader(bootstrap, "hostile-watch-");
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("No topic " + topic);
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Every record (as "topic key=... value=...") whose key or value mentions one of the needles,
     * among all records on the topics now: the topics are read up to their current ends first.
     * Needles must contain the marker.
     */
    synchronized List<String> mentioning(Collection<String> needles) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + READ_TO_END_WITHIN.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Could not read the topics to their ends in " + READ_TO_END_WITHIN);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                String text = record.topic() + " key=" + text(record.key()) + " value=" + text(record.value());
                if (text.contains(marker)) {
                    seen.add(text);
                }
            }
        }
        return seen.stream().filter(record -> needles.stream().anyMatch(record::contains)).toList();
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
