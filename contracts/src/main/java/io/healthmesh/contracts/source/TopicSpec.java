package io.healthmesh.contracts.source;

/**
 * How a topic is created.
 *
 * @param name unprefixed topic name
 * @param partitions partition count
 * @param cleanupPolicy Kafka {@code cleanup.policy}: {@code delete} or {@code compact}
 */
public record TopicSpec(String name, int partitions, String cleanupPolicy) {

    public static final String DELETE = "delete";
    public static final String COMPACT = "compact";
}
