package io.healthmesh.preferences.api;

import java.time.OffsetDateTime;
import java.util.Set;

/**
 * One source as a user's connection screen shows it: what it can supply and where the user's
 * connection stands ({@code not_connected} when the user never connected it).
 */
public record ConnectionView(
        String source,
        String displayName,
        String kind,
        String availability,
        Set<String> categories,
        String state,
        Double progress,
        String reason,
        OffsetDateTime lastSuccessfulSync,
        OffsetDateTime nextSync,
        OffsetDateTime updatedAt) {
}
