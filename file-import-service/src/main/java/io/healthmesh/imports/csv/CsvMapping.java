package io.healthmesh.imports.csv;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * How the columns of a CSV file become readings: what a client posts, what {@link CsvInspector}
 * suggests, what the import job stores as JSON. Plain data; {@link CsvMappingValidator} says what is
 * wrong with one, {@link CsvImportParser} applies it. Columns are named by their header text (trimmed;
 * the {@link CsvCells#safe} form shown to clients is accepted as well).
 *
 * <pre>{@code
 * {"preset": "myfitnesspal-nutrition", "source": "myfitnesspal",
 *  "date": {"column": "Date", "format": "yyyy-M-d"},
 *  "time": {"column": "Time", "format": "h:mm a"},
 *  "zone": "Europe/Berlin",
 *  "labels": ["Meal"],
 *  "values": [{"column": "Calories", "metric": "dietary_energy", "unit": "kcal", "aggregation": "cumulative"}],
 *  "userEntered": true,
 *  "unmapped": [{"column": "Vitamin A", "why": "% of daily value, not a mass"}]}
 * }</pre>
 *
 * @param preset the file dialect, part of every sourceRecordId ({@code myfitnesspal-nutrition}, {@code generic})
 * @param source {@code csv}, {@code myfitnesspal} or {@code cronometer}: every reading of the job goes out under it
 * @param date the date column and its {@link java.time.format.DateTimeFormatter} pattern (which may also
 *     hold a time, and an offset)
 * @param time optional time column and pattern; a blank cell makes a date-only row
 * @param zone IANA zone of the wall-clock dates and times
 * @param end optional end column (a time, or a date and time) of a row with a time; or else
 * @param duration optional duration column of a row with a time, with its unit
 * @param labels columns that identify a row besides date and time (meal, food, group); part of the
 *     sourceRecordId, so two meals of one date are two records
 * @param values wide format: each mapped value column
 * @param longFormat long format (one metric per row), JSON {@code "long"}
 * @param userEntered carried by every reading: true for diaries and manual measurements, null when unknown
 * @param unmapped columns deliberately not imported, with why; informational only
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CsvMapping(
        String preset,
        String source,
        ColumnFormat date,
        ColumnFormat time,
        String zone,
        ColumnFormat end,
        DurationColumn duration,
        List<String> labels,
        List<ValueColumn> values,
        @JsonProperty("long") LongFormat longFormat,
        Boolean userEntered,
        List<Unmapped> unmapped) {

    /** A date or time column with its pattern, e.g. {@code {"column": "Date", "format": "yyyy-M-d"}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ColumnFormat(String column, String format) {
    }

    /** A column holding how long the row lasts, e.g. {@code {"column": "Minutes", "unit": "min"}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DurationColumn(String column, String unit) {
    }

    /**
     * One value column.
     *
     * @param column header text
     * @param metric canonical metric code
     * @param unit a unit {@code Units} knows that fits the metric; null takes the header's last bracket
     *     ({@code Fat (g)})
     * @param aggregation {@code cumulative}, {@code sample} or {@code daily}; null means the metric's default
     * @param absolute true to import the value without its sign (Cronometer writes burned energy negative)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ValueColumn(String column, String metric, String unit, String aggregation, Boolean absolute) {
    }

    /**
     * One metric per row (Cronometer biometrics).
     *
     * @param metricColumn the column naming the metric, possibly with the syncing source in brackets
     *     ({@code Heart Rate (Garmin)}: the bracket becomes the reading's device)
     * @param unitColumn the column with the value's unit
     * @param valueColumn the column with the value
     * @param metrics metric name as written (case and spacing ignored, without the device bracket) to
     *     metric code, or to null for a name deliberately not imported (Sleep); names not listed are
     *     skipped as {@link CsvSkipReason#UNMAPPED_METRIC}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LongFormat(String metricColumn, String unitColumn, String valueColumn,
            // Null values are meaningful ("Sleep": null, not imported) and must survive a round trip.
            @JsonInclude(content = JsonInclude.Include.ALWAYS) Map<String, String> metrics) {
    }

    /** A column not imported, and why, e.g. {@code {"column": "Vitamin A", "why": "% of daily value"}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Unmapped(String column, String why) {
    }
}
