package io.healthmesh.imports.csv;

import static io.healthmesh.imports.csv.CsvFixtures.BERLIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.imports.csv.CsvMapping.ColumnFormat;
import io.healthmesh.imports.csv.CsvMapping.DurationColumn;
import io.healthmesh.imports.csv.CsvMapping.LongFormat;
import io.healthmesh.imports.csv.CsvMapping.ValueColumn;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvMappingValidatorTest {

    private static final List<String> HEADER = List.of("Date", "Time", "Meal", "Calories", "Steps", "Weight",
            "Fat (g)", "Minutes", "Metric", "Unit", "Amount", "Dup", "Dup");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {CsvFixtures.MFP_NUTRITION, CsvFixtures.MFP_NUTRITION_TIME,
        CsvFixtures.MFP_NUTRITION_BAD_ROWS, CsvFixtures.MFP_MEASUREMENT, CsvFixtures.MFP_EXERCISE,
        CsvFixtures.CRONOMETER_DAILY,
        CsvFixtures.CRONOMETER_SERVINGS, CsvFixtures.CRONOMETER_BIOMETRICS, CsvFixtures.CRONOMETER_EXERCISES,
        CsvFixtures.RESAVED_SEMICOLON, CsvFixtures.LATIN1, CsvFixtures.GENERIC, CsvFixtures.FORMULA})
    void everySuggestionIsValidAndSurvivesJson(String fixture) throws Exception {
        CsvPreview preview = CsvFixtures.inspect(fixture, BERLIN);
        CsvMapping suggested = preview.suggestedMapping();
        assertThat(CsvMappingValidator.problems(suggested, preview.header())).isEmpty();

        String json = JSON.writeValueAsString(suggested);
        CsvMapping back = JSON.readValue(json, CsvMapping.class);
        assertThat(back).isEqualTo(suggested);
        assertThat(JSON.writeValueAsString(back)).isEqualTo(json);
        assertThat(CsvMappingValidator.problems(back, preview.header())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {CsvFixtures.RESAVED_SEMICOLON, CsvFixtures.CRONOMETER_BIOMETRICS, CsvFixtures.FORMULA})
    void aPreviewSurvivesJsonToo(String fixture) throws Exception {
        CsvPreview preview = CsvFixtures.inspect(fixture, BERLIN);
        CsvPreview back = JSON.readValue(JSON.writeValueAsString(preview), CsvPreview.class);
        assertThat(back).isEqualTo(preview);
        CsvDialect tabs = new CsvDialect("windows-1252", true, '\t', '"', ',', 3);
        assertThat(JSON.readValue(JSON.writeValueAsString(tabs), CsvDialect.class)).isEqualTo(tabs);
    }

    @Test
    void theJsonShape() throws Exception {
        CsvMapping mapping = CsvFixtures.inspect(CsvFixtures.CRONOMETER_BIOMETRICS, BERLIN).suggestedMapping();
        JsonNode tree = JSON.valueToTree(mapping);
        assertThat(tree.get("long").get("metricColumn").asText()).isEqualTo("Metric");
        assertThat(tree.get("long").get("metrics").has("Sleep")).isTrue();
        assertThat(tree.get("long").get("metrics").get("Sleep").isNull()).isTrue();
        assertThat(tree.has("longFormat")).isFalse();
        assertThat(tree.has("end")).isFalse();

        JsonNode exercises = JSON.valueToTree(
                CsvFixtures.inspect(CsvFixtures.CRONOMETER_EXERCISES, BERLIN).suggestedMapping());
        assertThat(exercises.get("duration").toString()).isEqualTo("{\"column\":\"Minutes\",\"unit\":\"min\"}");
        assertThat(exercises.get("values").get(1).toString()).isEqualTo("{\"column\":\"Calories Burned\","
                + "\"metric\":\"active_energy\",\"unit\":\"kcal\",\"aggregation\":\"cumulative\",\"absolute\":true}");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        String json = """
                {"preset": "generic", "source": "csv", "zone": "UTC", "future": {"x": 1},
                 "date": {"column": "Date", "format": "yyyy-MM-dd", "hint": "iso"},
                 "values": [{"column": "Steps", "metric": "steps", "unit": "count", "note": "ok"}],
                 "long": null, "unmapped": [{"column": "Meal", "why": "label", "extra": true}]}
                """;
        CsvMapping mapping = JSON.readValue(json, CsvMapping.class);
        assertThat(mapping.date()).isEqualTo(new ColumnFormat("Date", "yyyy-MM-dd"));
        assertThat(mapping.values()).containsExactly(new ValueColumn("Steps", "steps", "count", null, null));
        assertThat(CsvMappingValidator.problems(mapping, HEADER)).isEmpty();
    }

    @Test
    void aMinimalMappingIsValid() {
        assertThat(CsvMappingValidator.problems(base(List.of()), HEADER)).isEmpty();
    }

    @Test
    void eachBadFieldIsNamed() {
        CsvMapping mapping = new CsvMapping("bad preset!", "oura", new ColumnFormat("Datum", "yyyy-MM-dd"),
                new ColumnFormat("Time", "HH:mm:bb"), "Mars/Olympus", null, null, List.of("Meal", "Meal"),
                List.of(new ValueColumn("Calories", "dietary_energy", "kcal", null, null),
                        new ValueColumn("Steps", "stepz", "count", null, null),
                        new ValueColumn("Weight", "body_mass", "count", null, null),
                        new ValueColumn("Calories", "active_energy", "kcal", null, null),
                        new ValueColumn("Fat (g)", "fat_total", "parsecs", null, null),
                        new ValueColumn("Weight ", "body_mass", null, null, null),
                        new ValueColumn("Nope", "steps", "count", "weekly", null),
                        new ValueColumn("Dup", "steps", "count", null, null),
                        new ValueColumn("Time", "steps", "count", null, null)),
                null, null, null);

        assertThat(CsvMappingValidator.problems(mapping, HEADER)).containsExactly(
                "preset: 'bad preset!' must be 1-64 letters, digits, '.', '_' or '-'",
                "source: 'oura' is not one of csv, myfitnesspal, cronometer",
                "zone: 'Mars/Olympus' is not an IANA time zone id",
                "date.column: no column 'Datum' in the header",
                "time.format: 'HH:mm:bb' is not a valid time pattern (e.g. HH:mm, h:mm a)",
                "labels[1]: duplicate column, already used by labels[0]",
                "values[1].metric: unknown metric 'stepz'",
                "values[2].unit: 'count' does not fit metric 'body_mass' (canonical unit kg)",
                "values[3].column: duplicate column, already used by values[0].column",
                "values[4].unit: unknown unit 'parsecs'",
                "values[5].column: duplicate column, already used by values[2].column",
                "values[5].unit: missing: column 'Weight ' names no unit (give one that fits body_mass, e.g. kg or lb)",
                "values[6].column: no column 'Nope' in the header",
                "values[6].aggregation: 'weekly' is not one of cumulative, sample, daily",
                "values[7].column: column 'Dup' appears 2 times in the header",
                "values[8].column: duplicate column, already used by time.column");
    }

    @Test
    void missingPieces() {
        CsvMapping mapping = new CsvMapping(null, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(CsvMappingValidator.problems(mapping, HEADER)).containsExactly(
                "preset: missing",
                "source: missing (one of csv, myfitnesspal, cronometer)",
                "zone: missing (an IANA time zone id such as Europe/Berlin, or UTC)",
                "date: missing (the date column and its format, e.g. {\"column\": \"Date\", "
                        + "\"format\": \"yyyy-MM-dd\"})");
        assertThat(CsvMappingValidator.problems(null, HEADER)).containsExactly("mapping: missing");
        CsvMapping blanks = new CsvMapping("generic", "csv", new ColumnFormat(" ", null), null, "UTC", null, null,
                null, List.of(new ValueColumn(null, null, null, null, null)), null, null, null);
        assertThat(CsvMappingValidator.problems(blanks, null)).containsExactly(
                "date.column: missing",
                "date.format: missing (a pattern such as yyyy-MM-dd)",
                "values[0].column: missing",
                "values[0].metric: missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yyyy-MM-dd", "yyyy-M-d", "M/d/yyyy", "d.M.yy", "yyyy-MM-dd'T'HH:mm:ssXXX",
        "dd MMM yyyy, HH:mm", "uuuu-MM-dd"})
    void goodDateFormats(String format) {
        CsvMapping mapping = withDate(format);
        assertThat(CsvMappingValidator.problems(mapping, HEADER)).isEmpty();
    }

    @Test
    void badDateFormats() {
        assertThat(CsvMappingValidator.problems(withDate("yyyy-MM-dd'"), HEADER))
                .containsExactly("date.format: 'yyyy-MM-dd'' is not a valid date pattern (e.g. yyyy-MM-dd, M/d/yyyy)");
        assertThat(CsvMappingValidator.problems(withDate("MM/dd"), HEADER))
                .containsExactly("date.format: 'MM/dd' has no year, month and day");
        assertThat(CsvMappingValidator.problems(withDate("HH:mm"), HEADER))
                .containsExactly("date.format: 'HH:mm' has no year, month and day");
        assertThat(CsvMappingValidator.problems(withDate("=cmd|x"), HEADER))
                .containsExactly("date.format: ''=cmd|x' is not a valid date pattern (e.g. yyyy-MM-dd, M/d/yyyy)");
    }

    @Test
    void endDurationAndLongFormat() {
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put("Weight", "body_mass");
        metrics.put("weight ", "body_mass");
        metrics.put("Sleep", null);
        metrics.put("HR", "hr");
        CsvMapping mapping = new CsvMapping("cronometer-biometrics", "cronometer", new ColumnFormat("Date", "yyyy-M-d"),
                null, "UTC", new ColumnFormat("Time", "yyyy"), new DurationColumn("Minutes", "kg"), List.of(),
                List.of(new ValueColumn("Minutes", "exercise_time", "min", null, null)),
                new LongFormat("Metric", null, "Nope", metrics), null, null);
        assertThat(CsvMappingValidator.problems(mapping, HEADER)).containsExactly(
                "end: give end or duration, not both",
                "end.format: 'yyyy' has no time of day",
                "duration.unit: 'kg' is not a unit of time (e.g. min, s or h)",
                "long.unitColumn: missing",
                "long.valueColumn: no column 'Nope' in the header",
                "long.metrics['weight ']: the same name as 'Weight'",
                "long.metrics['HR']: unknown metric 'hr'");
        CsvMapping noMetrics = new CsvMapping("p", "csv", new ColumnFormat("Date", "yyyy-M-d"), null, "UTC", null,
                null, null, null, new LongFormat("Metric", "Unit", "Amount", Map.of()), null, null);
        assertThat(CsvMappingValidator.problems(noMetrics, HEADER)).containsExactly(
                "long.metrics: missing (metric names to metric codes, e.g. {\"Weight\": \"body_mass\"})");
    }

    @Test
    void unitsComeFromTheMappingOrTheHeaderBracket() {
        assertThat(CsvMappingValidator.problems(
                base(List.of(new ValueColumn("Fat (g)", "fat_total", null, null, null))), HEADER)).isEmpty();
        assertThat(CsvMappingValidator.problems(
                base(List.of(new ValueColumn("Fat (g)", "dietary_energy", null, null, null))), HEADER))
                .containsExactly("values[0].unit: 'g' does not fit metric 'dietary_energy' (canonical unit kcal)");
        assertThat(CsvMappingValidator.problems(
                base(List.of(new ValueColumn("Fat (g)", "fat_total", "mg", null, null))), HEADER)).isEmpty();
        assertThat(CsvMappingValidator.problems(
                base(List.of(new ValueColumn("Weight", "body_mass", "lbs", "sample", false))), HEADER)).isEmpty();
    }

    @Test
    void hostileNamesAreEchoedSafely() {
        CsvMapping mapping = base(List.of(new ValueColumn("=HYPERLINK(\"x\")", "@evil", "+cmd", null, null)));
        assertThat(CsvMappingValidator.problems(mapping, HEADER)).containsExactly(
                "values[0].column: no column ''=HYPERLINK(\"x\")' in the header",
                "values[0].metric: unknown metric ''@evil'",
                "values[0].unit: unknown unit ''+cmd'");
    }

    private static CsvMapping base(List<ValueColumn> values) {
        return new CsvMapping("generic", "csv", new ColumnFormat("Date", "yyyy-MM-dd"), null, BERLIN, null, null,
                null, values, null, null, null);
    }

    private static CsvMapping withDate(String format) {
        return new CsvMapping("generic", "csv", new ColumnFormat("Date", format), null, "UTC", null, null, null,
                null, null, null, null);
    }
}
