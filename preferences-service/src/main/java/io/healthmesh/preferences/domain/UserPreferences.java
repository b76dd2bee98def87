package io.healthmesh.preferences.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user chose, nothing filled in: per category and per metric an order of sources, per
 * source an order of devices, a home zone. Absent entries mean "the registry's default".
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserPreferences(
        Map<String, List<String>> categories,
        Map<String, List<String>> metrics,
        Map<String, List<String>> devices,
        String homeZone) {

    public static final UserPreferences NONE = new UserPreferences(Map.of(), Map.of(), Map.of(), null);

    public UserPreferences {
        categories = categories == null ? Map.of() : Map.copyOf(categories);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        devices = devices == null ? Map.of() : Map.copyOf(devices);
    }

    public UserPreferences withCategory(String category, List<String> sources) {
        return new UserPreferences(put(categories, category, sources), metrics, devices, homeZone);
    }

    public UserPreferences withMetric(String metric, List<String> sources) {
        return new UserPreferences(categories, put(metrics, metric, sources), devices, homeZone);
    }

    public UserPreferences withDevices(String source, List<String> ranked) {
        return new UserPreferences(categories, metrics, put(devices, source, ranked), homeZone);
    }

    public UserPreferences withHomeZone(String zone) {
        return new UserPreferences(categories, metrics, devices, zone);
    }

    /** {@code values == null} removes the key (back to the default). */
    private static Map<String, List<String>> put(Map<String, List<String>> map, String key, List<String> values) {
        Map<String, List<String>> copy = new LinkedHashMap<>(map);
        if (values == null) {
            copy.remove(key);
        } else {
            copy.put(key, List.copyOf(values));
        }
        return copy;
    }
}
