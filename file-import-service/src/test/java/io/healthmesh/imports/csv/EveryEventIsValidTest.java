package io.healthmesh.imports.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.contracts.validation.EventValidator;
import io.healthmesh.contracts.validation.Violation;
import io.healthmesh.imports.csv.CsvMapping.ValueColumn;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whatever the parser emits from any fixture, with the suggested mapping, must pass the normalizer's validator. */
class EveryEventIsValidTest {

    private static final EventValidator VALIDATOR = new EventValidator();
    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-03-13T10:00:00Z");

    @ParameterizedTest
    @CsvSource({
        "mfp-nutrition.csv, Europe/Berlin, 35",
        "mfp-nutrition.csv, , 35",
        "mfp-nutrition-time.csv, America/Los_Angeles, 39",
        "mfp-nutrition-bad-rows.csv, Asia/Kolkata, 56",
        "Measurement-Summary-2025-03-01-to-2025-03-08.csv, Europe/Berlin, 2",
        "mfp-exercise.csv, Australia/Lord_Howe, 6",
        "cronometer-dailysummary.csv, America/Santiago, 23",
        "cronometer-servings.csv, Europe/Berlin, 32",
        "cronometer-biometrics.csv, Pacific/Chatham, 5",
        "cronometer-exercises.csv, Europe/London, 5",
        "resaved-semicolon.csv, Europe/Berlin, 20",
        "latin1-servings.csv, Europe/Paris, 4",
        "generic.csv, , 4",
        "formula.csv, Europe/Berlin, 1",
    })
    void passesTheValidator(String fixture, String homeZone, int readings) {
        CsvPreview preview = CsvFixtures.inspect(fixture, homeZone);
        CsvMapping mapping = preview.suggestedMapping();
        List<Reading> emitted = CsvFixtures.parse(CsvFixtures.path(fixture), preview.dialect(), mapping)
                .handler().readings;

        assertThat(emitted).hasSize(readings);
        assertValid(emitted, mapping.source());
    }

    @ParameterizedTest
    @CsvSource({"Europe/Berlin", "America/Santiago", "Asia/Tehran"})
    void everyMetricAndAggregationTheMappingAllows(String zone) {
        // A user's own mapping of every long-format metric, including daily and sample shapes on date-only rows.
        CsvPreview preview = CsvFixtures.inspect(CsvFixtures.CRONOMETER_BIOMETRICS, zone);
        CsvMapping suggested = preview.suggestedMapping();
        Map<String, String> metrics = new HashMap<>(suggested.longFormat().metrics());
        metrics.put("Blood Pressure", "blood_pressure_systolic");
        metrics.put("Sleep", "sleep_duration");
        CsvMapping mapping = new CsvMapping(suggested.preset(), "csv", suggested.date(), suggested.time(), zone, null,
                null, suggested.labels(), List.of(), new CsvMapping.LongFormat("Metric", "Unit", "Amount", metrics),
                null, null);
        List<Reading> emitted = CsvFixtures.parse(CsvFixtures.path(CsvFixtures.CRONOMETER_BIOMETRICS),
                preview.dialect(), mapping).handler().readings;
        assertThat(emitted).hasSize(6);
        assertValid(emitted, "csv");

        CsvPreview nutrition = CsvFixtures.inspect(CsvFixtures.MFP_NUTRITION_TIME, zone);
        CsvMapping base = nutrition.suggestedMapping();
        List<ValueColumn> values = new ArrayList<>();
        String[] aggregations = {"daily", "sample", "cumulative", null};
        for (int i = 0; i < base.values().size(); i++) {
            ValueColumn value = base.values().get(i);
            values.add(new ValueColumn(value.column(), value.metric(), value.unit(), aggregations[i % 4], null));
        }
        CsvMapping mixed = new CsvMapping(base.preset(), "myfitnesspal", base.date(), base.time(), zone, null, null,
                base.labels(), values, null, true, null);
        List<Reading> mixedReadings = CsvFixtures.parse(CsvFixtures.path(CsvFixtures.MFP_NUTRITION_TIME),
                nutrition.dialect(), mixed).handler().readings;
        assertThat(mixedReadings).hasSize(39);
        assertValid(mixedReadings, "myfitnesspal");
    }

    private static void assertValid(List<Reading> readings, String source) {
        for (Reading reading : readings) {
            List<Violation> violations = VALIDATOR.validate(Envelope.reading("user-1", source, reading, NOW),
                    Topics.RAW_CSV);
            assertThat(violations).as(reading.toString()).isEmpty();
        }
    }
}
