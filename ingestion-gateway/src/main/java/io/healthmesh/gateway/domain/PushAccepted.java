package io.healthmesh.gateway.domain;

import java.util.List;
import java.util.UUID;

/**
 * The answer to an accepted batch: every reading is on the push topic, acknowledged by the broker.
 *
 * @param accepted how many readings were published (the batch's size)
 * @param eventIds each reading's eventId, in the batch's order (deterministic: a replay of the same
 *     readings gets the same ids)
 */
public record PushAccepted(int accepted, List<UUID> eventIds) {
}
