package io.healthmesh.imports.csv;

import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.vocab.Dimension;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Units;
import io.healthmesh.contracts.vocab.Vocabulary;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What is wrong with a {@link CsvMapping} for a file's header. Each problem starts with the JSON path
 * of the offending field ({@code values[2].metric: unknown metric 'stepz'}); names and values from the
 * client or the file are echoed through {@link CsvCells#safe}.
 */
public final class CsvMappingValidator {

    /** The sources a CSV import may send as (those {@code raw.csv.v1} carries). */
    public static final List<String> SOURCES = List.of(SourceId.CSV, SourceId.MYFITNESSPAL, SourceId.CRONOMETER);
    static final int MAX_LABELS = 20;
    static final int MAX_LONG_METRICS = 1_000;
    static final int MAX_NAME_CHARS = 1_000;

    private static final Set<String> IANA_ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());
    private static final Pattern PRESET = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final List<String> AGGREGATIONS = List.of("cumulative", "sample", "daily");

    private CsvMappingValidator() {
    }

    /** Problems with the mapping against this file's header; empty = valid. */
    public static List<String> problems(CsvMapping mapping, List<String> header) {
        List<String> problems = new ArrayList<>();
        if (mapping == null) {
            problems.add("mapping: missing");
            return problems;
        }
        List<String> names = header == null ? List.of() : header;
        checkPreset(mapping.preset(), problems);
        checkSource(mapping.source(), problems);
        checkZone(mapping.zone(), problems);

        // Columns with a role other than value, so a value column cannot reuse them.
        Map<Integer, String> roles = new HashMap<>();
        if (mapping.date() == null) {
            problems.add("date: missing (the date column and its format, e.g. {\"column\": \"Date\", "
                    + "\"format\": \"yyyy-MM-dd\"})");
        } else {
            claim(column(mapping.date().column(), "date.column", names, problems), "date.column", roles, problems);
            checkFormat(mapping.date().format(), "date.format", true, problems);
        }
        if (mapping.time() != null) {
            claim(column(mapping.time().column(), "time.column", names, problems), "time.column", roles, problems);
            checkFormat(mapping.time().format(), "time.format", false, problems);
        }
        if (mapping.end() != null && mapping.duration() != null) {
            problems.add("end: give end or duration, not both");
        }
        if (mapping.end() != null) {
            claim(column(mapping.end().column(), "end.column", names, problems), "end.column", roles, problems);
            checkFormat(mapping.end().format(), "end.format", false, problems);
        }
        if (mapping.duration() != null) {
            // Not claimed: the duration column may also be a value (exercise minutes are both).
            column(mapping.duration().column(), "duration.column", names, problems);
            checkDurationUnit(mapping.duration().unit(), problems);
        }
        checkLabels(mapping.labels(), names, roles, problems);
        checkValues(mapping.values(), names, roles, problems);
        if (mapping.longFormat() != null) {
            checkLong(mapping.longFormat(), names, roles, problems);
        }
        return problems;
    }

    /** The unit a value column's readings carry: the mapping's, else the header's bracket; null if neither. */
    static String effectiveUnit(CsvMapping.ValueColumn value, String headerCell) {
        if (value.unit() != null && !value.unit().isBlank()) {
            return value.unit().trim();
        }
        return CsvColumns.bracketUnit(headerCell);
    }

    private static void checkPreset(String preset, List<String> problems) {
        if (isBlank(preset)) {
            problems.add("preset: missing");
        } else if (!PRESET.matcher(preset).matches()) {
            problems.add("preset: '" + CsvCells.safe(preset) + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
    }

    private static void checkSource(String source, List<String> problems) {
        if (isBlank(source)) {
            problems.add("source: missing (one of " + String.join(", ", SOURCES) + ")");
        } else if (!SOURCES.contains(source)) {
            problems.add("source: '" + CsvCells.safe(source) + "' is not one of " + String.join(", ", SOURCES));
        }
    }

    private static void checkZone(String zone, List<String> problems) {
        if (isBlank(zone)) {
            problems.add("zone: missing (an IANA time zone id such as Europe/Berlin, or UTC)");
        } else if (!IANA_ZONES.contains(zone)) {
            problems.add("zone: '" + CsvCells.safe(zone) + "' is not an IANA time zone id");
        }
    }

    private static void checkFormat(String format, String field, boolean date, List<String> problems) {
        if (isBlank(format)) {
            problems.add(field + ": missing (a pattern such as " + (date ? "yyyy-MM-dd" : "HH:mm or h:mm a") + ")");
            return;
        }
        if (format.length() > 100) {
            problems.add(field + ": longer than 100 characters");
            return;
        }
        String problem = date ? CsvFormats.dateProblem(format) : CsvFormats.timeProblem(format);
        if (problem != null) {
            problems.add(field + ": " + problem);
        }
    }

    private static void checkDurationUnit(String unit, List<String> problems) {
        if (isBlank(unit)) {
            problems.add("duration.unit: missing (e.g. min, s or h)");
        } else if (Units.dimensionOf(unit).orElse(null) != Dimension.DURATION) {
            problems.add("duration.unit: '" + CsvCells.safe(unit) + "' is not a unit of time (e.g. min, s or h)");
        }
    }

    private static void checkLabels(List<String> labels, List<String> names, Map<Integer, String> roles,
            List<String> problems) {
        if (labels == null) {
            return;
        }
        if (labels.size() > MAX_LABELS) {
            problems.add("labels: more than " + MAX_LABELS + " columns");
            return;
        }
        for (int i = 0; i < labels.size(); i++) {
            String field = "labels[" + i + "]";
            claim(column(labels.get(i), field, names, problems), field, roles, problems);
        }
    }

    private static void checkValues(List<CsvMapping.ValueColumn> values, List<String> names,
            Map<Integer, String> roles, List<String> problems) {
        if (values == null) {
            return;
        }
        if (values.size() > CsvLimits.MAX_COLUMNS) {
            problems.add("values: more than " + CsvLimits.MAX_COLUMNS + " columns");
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            String field = "values[" + i + "]";
            CsvMapping.ValueColumn value = values.get(i);
            if (value == null) {
                problems.add(field + ": missing");
                continue;
            }
            int index = column(value.column(), field + ".column", names, problems);
            claim(index, field + ".column", roles, problems);
            Optional<Metric> metric = metric(value.metric(), field + ".metric", problems);
            if (value.aggregation() != null && !AGGREGATIONS.contains(value.aggregation())) {
                problems.add(field + ".aggregation: '" + CsvCells.safe(value.aggregation()) + "' is not one of "
                        + String.join(", ", AGGREGATIONS));
            }
            if (index < 0 && isBlank(value.unit())) {
                continue;
            }
            String unit = effectiveUnit(value, index < 0 ? null : names.get(index));
            if (unit == null) {
                String hint = metric.map(m -> " (give one that fits " + m.code() + ", e.g. " + exampleUnits(m) + ")")
                        .orElse("");
                problems.add(field + ".unit: missing: column '" + CsvCells.safe(value.column())
                        + "' names no unit" + hint);
            } else if (!Units.isKnown(unit)) {
                problems.add(field + ".unit: unknown unit '" + CsvCells.safe(unit) + "'");
            } else if (metric.isPresent() && !Units.convertible(unit, metric.get().canonicalUnit())) {
                problems.add(field + ".unit: '" + CsvCells.safe(unit) + "' does not fit metric '" + metric.get().code()
                        + "' (canonical unit " + metric.get().canonicalUnit() + ")");
            }
        }
    }

    private static void checkLong(CsvMapping.LongFormat format, List<String> names, Map<Integer, String> roles,
            List<String> problems) {
        claim(column(format.metricColumn(), "long.metricColumn", names, problems), "long.metricColumn", roles,
                problems);
        claim(column(format.unitColumn(), "long.unitColumn", names, problems), "long.unitColumn", roles, problems);
        claim(column(format.valueColumn(), "long.valueColumn", names, problems), "long.valueColumn", roles,
                problems);
        Map<String, String> metrics = format.metrics();
        if (metrics == null || metrics.isEmpty()) {
            problems.add("long.metrics: missing (metric names to metric codes, e.g. {\"Weight\": \"body_mass\"})");
            return;
        }
        if (metrics.size() > MAX_LONG_METRICS) {
            problems.add("long.metrics: more than " + MAX_LONG_METRICS + " names");
            return;
        }
        Map<String, String> seen = new HashMap<>();
        for (Map.Entry<String, String> entry : metrics.entrySet()) {
            String name = entry.getKey();
            String field = "long.metrics['" + CsvCells.safe(name) + "']";
            if (isBlank(name)) {
                problems.add("long.metrics: a blank metric name");
                continue;
            }
            String previous = seen.putIfAbsent(CsvColumns.normalize(name), name);
            if (previous != null) {
                problems.add(field + ": the same name as '" + CsvCells.safe(previous) + "'");
            }
            if (entry.getValue() != null) {
                metric(entry.getValue(), field, problems);
            }
        }
    }

    private static Optional<Metric> metric(String code, String field, List<String> problems) {
        if (isBlank(code)) {
            problems.add(field + ": missing");
            return Optional.empty();
        }
        Optional<Metric> metric = Vocabulary.metric(code);
        if (metric.isEmpty()) {
            problems.add(field + ": unknown metric '" + CsvCells.safe(code) + "'");
        }
        return metric;
    }

    /** The column's index, or a negative number after reporting why there is none. */
    private static int column(String name, String field, List<String> header, List<String> problems) {
        if (isBlank(name)) {
            problems.add(field + ": missing");
            return CsvColumns.MISSING;
        }
        if (name.length() > MAX_NAME_CHARS) {
            problems.add(field + ": longer than " + MAX_NAME_CHARS + " characters");
            return CsvColumns.MISSING;
        }
        int index = CsvColumns.resolve(header, name);
        if (index == CsvColumns.MISSING) {
            problems.add(field + ": no column '" + CsvCells.safe(name) + "' in the header");
        } else if (index == CsvColumns.AMBIGUOUS) {
            problems.add(field + ": column '" + CsvCells.safe(name) + "' appears "
                    + CsvColumns.count(header, name) + " times in the header");
        }
        return index;
    }

    /** Reports a column given two roles (mapped twice). */
    private static void claim(int index, String field, Map<Integer, String> roles, List<String> problems) {
        if (index < 0) {
            return;
        }
        String previous = roles.putIfAbsent(index, field);
        if (previous != null) {
            problems.add(field + ": duplicate column, already used by " + previous);
        }
    }

    private static String exampleUnits(Metric metric) {
        return switch (metric.canonicalUnit()) {
            case Units.KILOGRAM -> "kg or lb";
            case Units.KILOCALORIE -> "kcal or kJ";
            case Units.DEGREE_CELSIUS -> "degC or degF";
            case Units.MILLIMOLE_PER_LITRE -> "mmol/L or mg/dL";
            default -> metric.canonicalUnit();
        };
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
