package io.healthmesh.connector.sync.messaging;

import io.healthmesh.contracts.source.Topics;

/** The raw topic of the topic map that a connector's source publishes to. */
public final class RawTopics {

    private RawTopics() {
    }

    /** The (unprefixed) raw topic carrying {@code source}: {@code withings} -> {@code raw.withings.v1}. */
    public static String of(String source) {
        return Topics.RAW_TOPICS.stream()
                .filter(topic -> Topics.sourcesAllowedOn(topic).contains(source))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("The topic map has no raw topic for source " + source));
    }
}
