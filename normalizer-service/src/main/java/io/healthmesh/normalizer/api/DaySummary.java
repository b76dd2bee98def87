package io.healthmesh.normalizer.api;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** A day at a glance: per category, the day's resolved value of each metric that has data, with its source. */
public record DaySummary(LocalDate date, Map<String, List<Entry>> categories) {

    public record Entry(String metric, double value, String unit, String source) {
    }
}
