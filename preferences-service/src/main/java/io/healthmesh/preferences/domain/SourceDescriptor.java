package io.healthmesh.preferences.domain;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One source of the registry, as an onboarding screen needs it.
 *
 * @param kind how data arrives: {@code oauth2}, {@code file} or {@code push}
 * @param status {@code available}, or {@code planned} for connectors not built yet
 * @param categories the categories it can supply (from its metrics and session types)
 * @param metrics the metric codes it can supply
 * @param sessions the session types it can supply
 * @param defaultRanks per category it supplies, its place (1 = first) in the default order
 * @param appleHealthApps names its own app writes into Apple Health with (round trips)
 * @param defaultDeviceRanks device or app name patterns in default order of preference
 */
public record SourceDescriptor(
        String id,
        String displayName,
        String kind,
        String status,
        Set<String> categories,
        Set<String> metrics,
        List<String> sessions,
        Map<String, Integer> defaultRanks,
        List<String> appleHealthApps,
        List<String> defaultDeviceRanks) {
}
