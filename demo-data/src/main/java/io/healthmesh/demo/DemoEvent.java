package io.healthmesh.demo;

import io.healthmesh.contracts.event.Envelope;

/**
 * One demo event and the raw topic (unprefixed) that its producer path writes to.
 *
 * @param topic e.g. {@code raw.withings.v1}; the topic prefix is applied only when publishing
 * @param envelope the event, keyed by its userId on the topic
 */
public record DemoEvent(String topic, Envelope envelope) {
}
