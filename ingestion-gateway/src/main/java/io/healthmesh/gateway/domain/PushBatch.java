package io.healthmesh.gateway.domain;

import java.util.List;

/**
 * The body of {@code POST /api/v1/readings}: readings of one source, {@code push} (a device or an
 * app with ids of its own) or {@code apple_health} (HealthKit samples from a phone app).
 */
public record PushBatch(String source, List<PushReading> readings) {
}
