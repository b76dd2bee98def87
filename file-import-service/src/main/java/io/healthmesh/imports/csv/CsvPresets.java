package io.healthmesh.imports.csv;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.vocab.Dimension;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Units;
import io.healthmesh.contracts.vocab.Vocabulary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Known file layouts, recognized by their header (names compared case- and space-insensitively), and
 * the mapping we suggest for each; any other header gets a {@value #GENERIC} suggestion built from
 * column names and units. Layouts are those of ../shared/refs/csv-exports.md.
 *
 * <table>
 *   <caption>Presets</caption>
 *   <tr><th>preset</th><th>recognized by</th><th>source</th></tr>
 *   <tr><td>{@value #MFP_NUTRITION}</td><td>Date, Meal, Calories</td><td>myfitnesspal</td></tr>
 *   <tr><td>{@value #MFP_EXERCISE}</td><td>Date, Exercise, Exercise Calories or Exercise Minutes</td>
 *       <td>myfitnesspal</td></tr>
 *   <tr><td>{@value #MFP_MEASUREMENT}</td><td>a Measurement-Summary file name, or Date followed only by
 *       MyFitnessPal measurement names (Weight, Body Fat %, Neck, Waist, Hips)</td><td>myfitnesspal</td></tr>
 *   <tr><td>{@value #CRONOMETER_SERVINGS}</td><td>Day, Food Name</td><td>cronometer</td></tr>
 *   <tr><td>{@value #CRONOMETER_BIOMETRICS}</td><td>Day, Metric, Unit, Amount</td><td>cronometer</td></tr>
 *   <tr><td>{@value #CRONOMETER_EXERCISES}</td><td>Day, Exercise, Minutes or Calories Burned</td>
 *       <td>cronometer</td></tr>
 *   <tr><td>{@value #CRONOMETER_DAILY_SUMMARY}</td><td>Date and an Energy (unit) column</td><td>cronometer</td></tr>
 *   <tr><td>{@value #GENERIC}</td><td>anything else</td><td>csv</td></tr>
 * </table>
 */
final class CsvPresets {

    static final String MFP_NUTRITION = "myfitnesspal-nutrition";
    static final String MFP_MEASUREMENT = "myfitnesspal-measurement";
    static final String MFP_EXERCISE = "myfitnesspal-exercise";
    static final String CRONOMETER_DAILY_SUMMARY = "cronometer-dailysummary";
    static final String CRONOMETER_SERVINGS = "cronometer-servings";
    static final String CRONOMETER_BIOMETRICS = "cronometer-biometrics";
    static final String CRONOMETER_EXERCISES = "cronometer-exercises";
    static final String GENERIC = "generic";

    static final String ISO_DATE = "yyyy-M-d";
    static final String TIME_12H = "h:mm a";

    /** The suggestion for a file. */
    record Suggestion(String preset, CsvMapping mapping, List<String> notes) {
    }

    private record Target(String metric, String unit) {
    }

    private static final String DAILY_VALUE = "% of daily value, not a mass";
    private static final String NO_METRIC = "no vocabulary metric";
    private static final String FREE_TEXT = "free text";

    private static final Map<String, Object> MFP_NUTRIENTS = new LinkedHashMap<>();
    private static final Map<String, String> CRONOMETER_NUTRIENTS = new LinkedHashMap<>();
    private static final Map<String, String> BIOMETRICS = new LinkedHashMap<>();
    private static final Set<String> MFP_MEASUREMENT_NAMES = Set.of("weight", "body fat %", "body fat", "neck", "waist",
            "hips", "chest", "arms", "thighs", "height");
    private static final Map<String, String> GENERIC_NAMES = new LinkedHashMap<>();
    private static final List<String> DATE_FORMATS = List.of(ISO_DATE, "yyyy/M/d", "d.M.yyyy",
            "yyyy-M-d H:mm", "yyyy-M-d H:mm:ss", "yyyy-M-d'T'H:mm", "yyyy-M-d'T'H:mm:ss", "yyyy-M-d'T'H:mm:ssXXX",
            "yyyy-M-d'T'H:mm:ss.SSSXXX", "yyyy-M-d H:mm:ssXXX", "d.M.yyyy H:mm", "yyyy/M/d H:mm",
            "yyyy/M/d H:mm:ss");
    private static final List<String> SLASH_DATE_FORMATS = List.of("M/d/yyyy", "d/M/yyyy", "M/d/yyyy H:mm",
            "d/M/yyyy H:mm", "M/d/yyyy h:mm a", "M/d/yy", "d/M/yy");
    private static final List<String> TIME_FORMATS = List.of("H:mm", "H:mm:ss", TIME_12H, "h:mm:ss a");

    static {
        MFP_NUTRIENTS.put("calories", new Target("dietary_energy", Units.KILOCALORIE));
        MFP_NUTRIENTS.put("fat (g)", new Target("fat_total", Units.GRAM));
        MFP_NUTRIENTS.put("saturated fat", new Target("fat_saturated", Units.GRAM));
        MFP_NUTRIENTS.put("polyunsaturated fat", NO_METRIC);
        MFP_NUTRIENTS.put("monounsaturated fat", NO_METRIC);
        MFP_NUTRIENTS.put("trans fat", NO_METRIC);
        MFP_NUTRIENTS.put("cholesterol", new Target("cholesterol", Units.MILLIGRAM));
        MFP_NUTRIENTS.put("sodium (mg)", new Target("sodium", Units.MILLIGRAM));
        MFP_NUTRIENTS.put("potassium", new Target("potassium", Units.MILLIGRAM));
        MFP_NUTRIENTS.put("carbohydrates (g)", new Target("carbohydrate", Units.GRAM));
        MFP_NUTRIENTS.put("fiber", new Target("fiber", Units.GRAM));
        MFP_NUTRIENTS.put("sugar", new Target("sugar", Units.GRAM));
        MFP_NUTRIENTS.put("protein (g)", new Target("protein", Units.GRAM));
        MFP_NUTRIENTS.put("vitamin a", DAILY_VALUE);
        MFP_NUTRIENTS.put("vitamin c", DAILY_VALUE);
        MFP_NUTRIENTS.put("calcium", DAILY_VALUE);
        MFP_NUTRIENTS.put("iron", DAILY_VALUE);
        MFP_NUTRIENTS.put("note", FREE_TEXT);

        CRONOMETER_NUTRIENTS.put("energy", "dietary_energy");
        CRONOMETER_NUTRIENTS.put("protein", "protein");
        CRONOMETER_NUTRIENTS.put("carbs", "carbohydrate");
        CRONOMETER_NUTRIENTS.put("fat", "fat_total");
        CRONOMETER_NUTRIENTS.put("saturated", "fat_saturated");
        CRONOMETER_NUTRIENTS.put("fiber", "fiber");
        CRONOMETER_NUTRIENTS.put("sugars", "sugar");
        CRONOMETER_NUTRIENTS.put("cholesterol", "cholesterol");
        CRONOMETER_NUTRIENTS.put("sodium", "sodium");
        CRONOMETER_NUTRIENTS.put("potassium", "potassium");
        CRONOMETER_NUTRIENTS.put("calcium", "calcium");
        CRONOMETER_NUTRIENTS.put("iron", "iron");
        CRONOMETER_NUTRIENTS.put("caffeine", "caffeine");
        CRONOMETER_NUTRIENTS.put("vitamin c", "vitamin_c");
        CRONOMETER_NUTRIENTS.put("water", "water");

        BIOMETRICS.put("Weight", "body_mass");
        BIOMETRICS.put("Body Fat", "body_fat_percentage");
        BIOMETRICS.put("Heart Rate", "heart_rate");
        BIOMETRICS.put("Resting Heart Rate", "resting_heart_rate");
        BIOMETRICS.put("Blood Glucose", "blood_glucose");
        BIOMETRICS.put("Body Temperature", "body_temperature");
        BIOMETRICS.put("Oxygen Saturation", "oxygen_saturation");
        // Sleep metrics come from sleep sessions, never from a diary's hours.
        BIOMETRICS.put("Sleep", null);

        generic("body_mass", "weight", "body weight", "bodyweight", "body mass", "mass");
        generic("steps", "steps", "step count", "step", "daily steps");
        generic("heart_rate", "heart rate", "hr", "pulse", "average heart rate", "avg heart rate");
        generic("resting_heart_rate", "resting heart rate", "resting hr", "rhr");
        generic("body_fat_percentage", "body fat", "body fat %", "body fat percentage", "fat %", "bodyfat");
        generic("distance", "distance");
        generic("blood_glucose", "blood glucose", "glucose");
        generic("blood_pressure_systolic", "systolic", "blood pressure systolic", "sys");
        generic("blood_pressure_diastolic", "diastolic", "blood pressure diastolic", "dia");
        generic("oxygen_saturation", "spo2", "oxygen saturation", "blood oxygen");
        generic("body_temperature", "body temperature", "temperature");
        generic("height", "height");
        generic("bmi", "bmi");
        generic("active_energy", "active energy", "active calories", "calories burned");
        generic("exercise_time", "exercise minutes", "exercise time", "active minutes");
        generic("floors", "floors", "flights climbed");
        generic("respiratory_rate", "respiratory rate");
        generic("water", "water");
        for (Metric metric : Vocabulary.all()) {
            GENERIC_NAMES.putIfAbsent(metric.code(), metric.code());
        }
    }

    private CsvPresets() {
    }

    /**
     * The preset and suggested mapping for a header.
     *
     * @param header trimmed header cells as written
     * @param rows the first data rows, trimmed, as written
     * @param zone the zone the suggestion assumes
     */
    static Suggestion suggest(List<String> header, List<List<String>> rows, String fileName, String zone) {
        Builder b = new Builder(header, rows, zone);
        if (b.has("date", "meal", "calories")) {
            return mfpNutrition(b);
        }
        if (b.has("date", "exercise") && (b.has("exercise calories") || b.has("exercise minutes"))) {
            return mfpExercise(b);
        }
        if (b.has("day", "food name")) {
            return cronometerServings(b);
        }
        if (b.has("day", "metric", "unit", "amount")) {
            return cronometerBiometrics(b);
        }
        if (b.has("day", "exercise") && (b.has("minutes") || b.has("calories burned"))) {
            return cronometerExercises(b);
        }
        if (b.has("date") && b.normalized.stream().anyMatch(name -> name.startsWith("energy ("))) {
            return cronometerDailySummary(b);
        }
        if (isMfpMeasurement(b, fileName)) {
            return mfpMeasurement(b);
        }
        return generic(b);
    }

    // ---------------------------------------------------------------------------------------------

    private static Suggestion mfpNutrition(Builder b) {
        b.start(MFP_NUTRITION, SourceId.MYFITNESSPAL, Boolean.TRUE);
        b.date("date", ISO_DATE);
        boolean timed = b.time("time", TIME_12H);
        b.label("meal");
        List<String> dailyValue = new ArrayList<>();
        for (int i = 0; i < b.header.size(); i++) {
            if (b.used(i)) {
                continue;
            }
            Object target = MFP_NUTRIENTS.get(b.normalized.get(i));
            if (target instanceof Target t) {
                b.value(i, t.metric(), t.unit(), Aggregation.CUMULATIVE, null);
            } else if (target instanceof String why) {
                b.unmapped(i, why);
                if (why.equals(DAILY_VALUE)) {
                    dailyValue.add(b.header.get(i));
                }
            }
        }
        b.unmappedRest("not a known MyFitnessPal nutrition column");
        if (!dailyValue.isEmpty()) {
            b.note(String.join(", ", dailyValue) + " are % of daily value in MyFitnessPal exports, not amounts: "
                    + "they are not imported.");
        }
        b.note(timed ? "Rows without a time count for their whole day; rows with one at that time."
                : "Each row is one meal's total and counts for its whole day, so a day's meals add up.");
        return b.build();
    }

    private static Suggestion mfpExercise(Builder b) {
        b.start(MFP_EXERCISE, SourceId.MYFITNESSPAL, null);
        b.date("date", ISO_DATE);
        b.label("exercise");
        b.valueByName("exercise calories", "active_energy", Units.KILOCALORIE, Aggregation.CUMULATIVE, null);
        b.valueByName("exercise minutes", "exercise_time", Units.MINUTE, Aggregation.CUMULATIVE, null);
        b.valueByName("steps", "steps", Units.COUNT, Aggregation.CUMULATIVE, null);
        for (String strength : List.of("type", "sets", "reps per set", "kilograms", "pounds")) {
            b.unmappedByName(strength, "strength-training detail: " + NO_METRIC);
        }
        b.unmappedByName("note", FREE_TEXT);
        b.unmappedRest("not a known MyFitnessPal exercise column");
        b.note("The file has no times: each exercise counts for its whole day.");
        return b.build();
    }

    private static boolean isMfpMeasurement(Builder b, String fileName) {
        if (!b.normalized.isEmpty() && !b.normalized.get(0).equals("date")) {
            return false;
        }
        if (fileName != null && fileName.toLowerCase(Locale.ROOT).replace('_', '-').contains("measurement-summary")) {
            return true;
        }
        if (!b.has("weight")) {
            return false;
        }
        for (int i = 1; i < b.normalized.size(); i++) {
            String name = b.normalized.get(i);
            if (!name.isEmpty() && !MFP_MEASUREMENT_NAMES.contains(name)) {
                return false;
            }
        }
        return true;
    }

    private static Suggestion mfpMeasurement(Builder b) {
        b.start(MFP_MEASUREMENT, SourceId.MYFITNESSPAL, Boolean.TRUE);
        b.date("date", ISO_DATE);
        int weight = b.index("weight");
        if (weight >= 0) {
            b.unmapped(weight, "no unit in the file: add it to values with unit kg or lb");
            b.note("Column '" + b.ref(weight) + "' has no unit: add it to values with unit kg or lb, as set in your "
                    + "MyFitnessPal account, e.g. {\"column\": \"" + b.ref(weight)
                    + "\", \"metric\": \"body_mass\", \"unit\": \"kg\"}.");
        }
        int bodyFat = b.index("body fat %");
        if (bodyFat >= 0) {
            b.value(bodyFat, "body_fat_percentage", Units.PERCENT, Aggregation.SAMPLE, null);
        }
        b.unmappedRest(NO_METRIC);
        b.note("The file has no times: each measurement is placed at the start of its day.");
        return b.build();
    }

    private static Suggestion cronometerDailySummary(Builder b) {
        b.start(CRONOMETER_DAILY_SUMMARY, SourceId.CRONOMETER, Boolean.TRUE);
        b.date("date", ISO_DATE);
        b.unmappedByName("completed", "diary completion flag");
        cronometerNutrients(b, Aggregation.DAILY);
        b.note("These are daily totals: import either dailysummary.csv or servings.csv for the same days, not both, "
                + "or nutrients count twice.");
        return b.build();
    }

    private static Suggestion cronometerServings(Builder b) {
        b.start(CRONOMETER_SERVINGS, SourceId.CRONOMETER, Boolean.TRUE);
        b.date("day", ISO_DATE);
        boolean timed = b.time("time", TIME_12H);
        b.label("group");
        b.label("food name");
        b.unmappedByName("amount", "quantity of food, with its own unit");
        b.unmappedByName("category", "food category");
        cronometerNutrients(b, Aggregation.CUMULATIVE);
        if (timed) {
            b.note("Servings without a time count for their whole day; servings with one at that time.");
        } else {
            b.note("The file has no times: each serving counts for its whole day.");
        }
        return b.build();
    }

    private static void cronometerNutrients(Builder b, Aggregation aggregation) {
        for (int i = 0; i < b.header.size(); i++) {
            if (b.used(i) || b.header.get(i).isEmpty()) {
                continue;
            }
            String name = b.header.get(i);
            String metricCode = CRONOMETER_NUTRIENTS.get(CsvColumns.normalize(CsvColumns.withoutBracket(name)));
            if (metricCode == null) {
                b.unmapped(i, NO_METRIC);
                continue;
            }
            Metric metric = Vocabulary.metric(metricCode).orElseThrow();
            String written = CsvColumns.bracketUnit(name);
            Optional<String> unit = Units.canonicalUnitCode(written);
            if (written == null) {
                b.unmapped(i, "no unit in the header");
            } else if (unit.isEmpty()) {
                b.unmapped(i, "unknown unit '" + CsvCells.safe(written) + "'");
            } else if (metricCode.equals("water") && unit.get().equals(Units.GRAM)) {
                b.value(i, metricCode, Units.MILLILITRE, aggregation, null);
                b.note("Column '" + b.ref(i) + "' is imported as water in mL (1 g of water is 1 mL).");
            } else if (!Units.convertible(unit.get(), metric.canonicalUnit())) {
                b.unmapped(i, "unit '" + CsvCells.safe(written) + "' does not fit " + metricCode);
            } else {
                b.value(i, metricCode, unit.get(), aggregation, null);
            }
        }
    }

    private static Suggestion cronometerBiometrics(Builder b) {
        b.start(CRONOMETER_BIOMETRICS, SourceId.CRONOMETER, Boolean.TRUE);
        b.date("day", ISO_DATE);
        b.time("time", TIME_12H);
        b.label("group");
        int metric = b.index("metric");
        int unit = b.index("unit");
        int amount = b.index("amount");
        b.used.add(metric);
        b.used.add(unit);
        b.used.add(amount);
        b.longFormat = new CsvMapping.LongFormat(b.ref(metric), b.ref(unit), b.ref(amount),
                new LinkedHashMap<>(BIOMETRICS));
        Set<String> known = new HashSet<>();
        BIOMETRICS.keySet().forEach(name -> known.add(CsvColumns.normalize(name)));
        Set<String> unknown = new LinkedHashSet<>();
        for (List<String> row : b.rows) {
            String cell = metric < row.size() ? row.get(metric).trim() : "";
            String base = CsvColumns.withoutBracket(cell);
            if (!cell.isEmpty() && !known.contains(CsvColumns.normalize(cell))
                    && !known.contains(CsvColumns.normalize(base))) {
                unknown.add(CsvCells.safe(base));
            }
        }
        b.unmappedRest(NO_METRIC);
        b.note("Sleep rows are not imported: sleep comes from sleep sessions.");
        b.note("A device in brackets after a metric name, as in 'Heart Rate (Garmin)', becomes the reading's device.");
        for (String name : unknown) {
            b.note("Metric '" + name + "' has no vocabulary metric: its rows are skipped unless you add it to "
                    + "long.metrics.");
        }
        return b.build();
    }

    private static Suggestion cronometerExercises(Builder b) {
        b.start(CRONOMETER_EXERCISES, SourceId.CRONOMETER, null);
        b.date("day", ISO_DATE);
        boolean timed = b.time("time", TIME_12H);
        b.label("group");
        b.label("exercise");
        int minutes = b.index("minutes");
        if (timed && minutes >= 0) {
            b.duration = new CsvMapping.DurationColumn(b.ref(minutes), Units.MINUTE);
        }
        b.valueByName("minutes", "exercise_time", Units.MINUTE, Aggregation.CUMULATIVE, null);
        if (b.valueByName("calories burned", "active_energy", Units.KILOCALORIE, Aggregation.CUMULATIVE,
                Boolean.TRUE)) {
            b.note("Calories Burned is imported without its sign (Cronometer may write it negative).");
        }
        b.unmappedRest(NO_METRIC);
        b.note(timed ? "Exercises with a time last their minutes from that time; those without count for their "
                + "whole day." : "The file has no times: each exercise counts for its whole day.");
        return b.build();
    }

    // ---------------------------------------------------------------------------------------------

    private static Suggestion generic(Builder b) {
        b.start(GENERIC, SourceId.CSV, null);
        boolean dateHasTime = genericDate(b);
        if (b.date != null && !dateHasTime) {
            genericTime(b);
        }
        for (int i = 0; i < b.header.size(); i++) {
            if (b.used(i) || b.header.get(i).isEmpty()) {
                continue;
            }
            genericValue(b, i);
        }
        b.unmappedRest("no metric recognized in the column name: add it to values to import it");
        return b.build();
    }

    /** Finds the date column; true when its format includes the time. */
    private static boolean genericDate(Builder b) {
        for (int i = 0; i < b.header.size(); i++) {
            String name = b.normalized.get(i);
            if (!(name.contains("date") || name.contains("day") || name.contains("time"))) {
                continue;
            }
            List<String> cells = b.column(i);
            if (cells.isEmpty()) {
                if (name.contains("date") || name.equals("day")) {
                    b.date = new CsvMapping.ColumnFormat(b.ref(i), "yyyy-MM-dd");
                    b.used.add(i);
                    b.note("There are no data rows to check the date format of '" + b.ref(i) + "' against: "
                            + "yyyy-MM-dd is assumed.");
                    return false;
                }
                continue;
            }
            String format = firstFitting(DATE_FORMATS, cells, true);
            if (format == null) {
                List<String> slash = new ArrayList<>();
                for (String candidate : SLASH_DATE_FORMATS) {
                    if (fitsAll(candidate, cells, true)) {
                        slash.add(candidate);
                    }
                }
                if (slash.size() == 1 || (slash.size() > 1 && !ambiguous(slash))) {
                    format = slash.get(0);
                } else if (slash.size() > 1) {
                    b.used.add(i);
                    b.note("The dates in '" + b.ref(i) + "' read both as month/day and as day/month: set date to "
                            + "{\"column\": \"" + b.ref(i) + "\", \"format\": \"" + slash.get(0) + "\"} or \""
                            + slash.get(1) + "\" as the file means them.");
                    return false;
                }
            }
            if (format != null) {
                b.date = new CsvMapping.ColumnFormat(b.ref(i), format);
                b.used.add(i);
                CsvFormats.Parsed probe = CsvFormats.parse(CsvFormats.formatter(format), cells.get(0));
                return probe != null && probe.time() != null;
            }
        }
        b.note("No date column found: set date to the column with the dates and its format, e.g. "
                + "{\"column\": \"Date\", \"format\": \"yyyy-MM-dd\"}.");
        return false;
    }

    /** Month/day and day/month both fit: ambiguous unless they are the same pattern with the time. */
    private static boolean ambiguous(List<String> formats) {
        return formats.stream().anyMatch(f -> f.startsWith("M/")) && formats.stream().anyMatch(f -> f.startsWith("d/"));
    }

    private static void genericTime(Builder b) {
        for (int i = 0; i < b.header.size(); i++) {
            if (b.used(i) || !b.normalized.get(i).contains("time")) {
                continue;
            }
            List<String> cells = b.column(i);
            String format = cells.isEmpty() ? null : firstFitting(TIME_FORMATS, cells, false);
            if (format != null) {
                b.time = new CsvMapping.ColumnFormat(b.ref(i), format);
                b.used.add(i);
                return;
            }
        }
    }

    private static void genericValue(Builder b, int i) {
        String name = b.header.get(i);
        String unitText = CsvColumns.bracketUnit(name);
        String withoutUnit = CsvColumns.withoutBracket(name);
        if (unitText == null) {
            // weight_lbs, "Weight kg", "Body Fat %": a known unit after the last '_' or space.
            int cut = Math.max(withoutUnit.lastIndexOf('_'), withoutUnit.lastIndexOf(' '));
            if (cut > 0 && Units.isKnown(withoutUnit.substring(cut + 1))) {
                unitText = withoutUnit.substring(cut + 1);
                withoutUnit = withoutUnit.substring(0, cut);
            }
        }
        String base = CsvColumns.normalize(withoutUnit);
        String metricCode = GENERIC_NAMES.get(base);
        if (metricCode == null) {
            metricCode = GENERIC_NAMES.get(base.replace('_', ' '));
        }
        if (metricCode == null) {
            return;
        }
        Metric metric = Vocabulary.metric(metricCode).orElseThrow();
        String unit;
        if (unitText != null) {
            unit = Units.canonicalUnitCode(unitText).orElse(null);
            if (unit == null || !Units.convertible(unit, metric.canonicalUnit())) {
                b.unmapped(i, "unit '" + CsvCells.safe(unitText) + "' does not fit " + metricCode);
                return;
            }
        } else {
            Dimension dimension = Units.dimensionOf(metric.canonicalUnit()).orElseThrow();
            if (dimension == Dimension.COUNT || dimension == Dimension.RATE) {
                unit = metric.canonicalUnit();
            } else if (dimension == Dimension.RATIO && name.contains("%")) {
                unit = Units.PERCENT;
            } else {
                b.unmapped(i, "no unit in the file");
                b.note("Column '" + b.ref(i) + "' has no unit: add it to values with a unit that fits " + metricCode
                        + " (canonical unit " + metric.canonicalUnit() + ").");
                return;
            }
        }
        b.value(i, metricCode, unit, metric.defaultAggregation(), null);
    }

    private static String firstFitting(List<String> formats, List<String> cells, boolean date) {
        for (String format : formats) {
            if (fitsAll(format, cells, date)) {
                return format;
            }
        }
        return null;
    }

    private static boolean fitsAll(String format, List<String> cells, boolean date) {
        var formatter = CsvFormats.formatter(format);
        for (String cell : cells) {
            CsvFormats.Parsed parsed = CsvFormats.parse(formatter, cell);
            if (parsed == null || (date ? parsed.date() == null : parsed.time() == null)) {
                return false;
            }
        }
        return true;
    }

    private static void generic(String metric, String... names) {
        for (String name : names) {
            GENERIC_NAMES.put(name, metric);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Collects a suggestion; columns are referred to by their {@link CsvCells#safe} header text. */
    private static final class Builder {

        final List<String> header;
        final List<String> normalized;
        final List<List<String>> rows;
        final String zone;
        final Set<Integer> used = new HashSet<>();
        final List<String> labels = new ArrayList<>();
        final List<CsvMapping.ValueColumn> values = new ArrayList<>();
        final List<CsvMapping.Unmapped> unmapped = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        String preset;
        String source;
        Boolean userEntered;
        CsvMapping.ColumnFormat date;
        CsvMapping.ColumnFormat time;
        CsvMapping.DurationColumn duration;
        CsvMapping.LongFormat longFormat;

        Builder(List<String> header, List<List<String>> rows, String zone) {
            this.header = header;
            this.normalized = header.stream().map(CsvColumns::normalize).toList();
            this.rows = rows;
            this.zone = zone;
        }

        void start(String preset, String source, Boolean userEntered) {
            this.preset = preset;
            this.source = source;
            this.userEntered = userEntered;
        }

        boolean has(String... names) {
            for (String name : names) {
                if (index(name) < 0) {
                    return false;
                }
            }
            return true;
        }

        /** The first column with this normalized name that is unique in the header, else -1. */
        int index(String name) {
            int found = normalized.indexOf(name);
            if (found < 0 || CsvColumns.resolve(header, header.get(found)) < 0) {
                return -1;
            }
            return found;
        }

        boolean used(int index) {
            return used.contains(index);
        }

        String ref(int index) {
            return CsvCells.safe(header.get(index));
        }

        /** The non-blank cells of a column in the preview rows. */
        List<String> column(int index) {
            List<String> cells = new ArrayList<>();
            for (List<String> row : rows) {
                if (index < row.size() && !row.get(index).isBlank()) {
                    cells.add(row.get(index).trim());
                }
            }
            return cells;
        }

        void date(String name, String format) {
            int index = index(name);
            if (index >= 0) {
                date = new CsvMapping.ColumnFormat(ref(index), format);
                used.add(index);
            }
        }

        boolean time(String name, String format) {
            int index = index(name);
            if (index >= 0) {
                time = new CsvMapping.ColumnFormat(ref(index), format);
                used.add(index);
            }
            return index >= 0;
        }

        void label(String name) {
            int index = index(name);
            if (index >= 0) {
                labels.add(ref(index));
                used.add(index);
            }
        }

        void value(int index, String metric, String unit, Aggregation aggregation, Boolean absolute) {
            values.add(new CsvMapping.ValueColumn(ref(index), metric, unit,
                    aggregation == null ? null : aggregation.code(), absolute));
            used.add(index);
        }

        boolean valueByName(String name, String metric, String unit, Aggregation aggregation, Boolean absolute) {
            int index = index(name);
            if (index >= 0 && !used(index)) {
                value(index, metric, unit, aggregation, absolute);
                return true;
            }
            return false;
        }

        void unmapped(int index, String why) {
            unmapped.add(new CsvMapping.Unmapped(ref(index), why));
            used.add(index);
        }

        void unmappedByName(String name, String why) {
            int index = index(name);
            if (index >= 0 && !used(index)) {
                unmapped(index, why);
            }
        }

        void unmappedRest(String why) {
            for (int i = 0; i < header.size(); i++) {
                if (!used(i) && !header.get(i).isEmpty()) {
                    unmapped(i, why);
                }
            }
        }

        void note(String note) {
            notes.add(note);
        }

        Suggestion build() {
            CsvMapping mapping = new CsvMapping(preset, source, date, time, zone, null, duration,
                    List.copyOf(labels), List.copyOf(values), longFormat, userEntered, List.copyOf(unmapped));
            return new Suggestion(preset, mapping, List.copyOf(notes));
        }
    }
}
