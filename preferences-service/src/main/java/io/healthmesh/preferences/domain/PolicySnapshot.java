package io.healthmesh.preferences.domain;

import java.time.OffsetDateTime;
import java.util.Set;

/** A user's stored choices and connected sources at one version. */
public record PolicySnapshot(String userId, long version, UserPreferences preferences, Set<String> connectedSources,
        OffsetDateTime updatedAt) {
}
