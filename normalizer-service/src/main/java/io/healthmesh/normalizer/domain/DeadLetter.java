package io.healthmesh.normalizer.domain;

/**
 * A raw record the normalizer refuses, to be sent as it was (key and value bytes untouched) to
 * its topic's dead-letter topic with the reason and origin in headers.
 */
public record DeadLetter(String topic, int partition, long offset, byte[] key, byte[] value, String reason) {

    public String deadLetterTopic() {
        return topic + ".dlq";
    }
}
