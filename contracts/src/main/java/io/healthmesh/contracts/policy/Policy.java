package io.healthmesh.contracts.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One user's whole resolution policy, as preferences-service serves it and publishes it on
 * {@code preferences.v1} (keyed by user id): everything a reader needs to decide which source
 * wins, with a version that grows with every change.
 *
 * @param userId the user
 * @param version grows strictly with every change of this user's policy
 * @param homeZone IANA zone for inputs without a zone and for plain-date ranges (default UTC)
 * @param categories per category code, the sources in order of preference (defaults filled in)
 * @param metricOverrides per metric code, an order that replaces its category's
 * @param deviceRanks per source, device or app name patterns in order of preference; a device
 *     matches the first pattern it contains (case-insensitive), unmatched devices rank last
 * @param connectedSources the sources the user has connected directly (OAuth connectors)
 * @param roundTripApps per directly connectable source, the app names with which its own app
 *     writes into Apple Health; such Apple Health data counts as that source's while connected
 * @param updatedAt when the policy last changed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Policy(
        String userId,
        long version,
        String homeZone,
        Map<String, List<String>> categories,
        Map<String, List<String>> metricOverrides,
        Map<String, List<String>> deviceRanks,
        Set<String> connectedSources,
        Map<String, List<String>> roundTripApps,
        OffsetDateTime updatedAt) {

    public Policy {
        categories = categories == null ? Map.of() : Map.copyOf(categories);
        metricOverrides = metricOverrides == null ? Map.of() : Map.copyOf(metricOverrides);
        deviceRanks = deviceRanks == null ? Map.of() : Map.copyOf(deviceRanks);
        connectedSources = connectedSources == null ? Set.of() : Set.copyOf(connectedSources);
        roundTripApps = roundTripApps == null ? Map.of() : Map.copyOf(roundTripApps);
    }
}
