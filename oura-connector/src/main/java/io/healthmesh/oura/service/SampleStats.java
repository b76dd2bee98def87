package io.healthmesh.oura.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.contracts.event.HeartRateStats;

/** Statistics of an Oura sample object ({@code {interval, items: [number|null...], timestamp}}); nulls are gaps. */
final class SampleStats {

    private SampleStats() {
    }

    static Double max(JsonNode samples) {
        HeartRateStats stats = of(samples);
        return stats == null ? null : stats.max();
    }

    /** Mean, min and max of the positive items; null when there is none. */
    static HeartRateStats of(JsonNode samples) {
        JsonNode items = samples == null ? null : samples.get("items");
        if (items == null || !items.isArray()) {
            return null;
        }
        double sum = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        int count = 0;
        for (JsonNode item : items) {
            if (item == null || !item.isNumber() || item.asDouble() <= 0) {
                continue;
            }
            double value = item.asDouble();
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
            count++;
        }
        if (count == 0) {
            return null;
        }
        return new HeartRateStats(Math.round(sum / count * 10) / 10.0, min, max);
    }
}
