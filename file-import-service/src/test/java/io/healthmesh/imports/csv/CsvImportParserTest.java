package io.healthmesh.imports.csv;

import static io.healthmesh.imports.csv.CsvFixtures.BERLIN;
import static io.healthmesh.imports.csv.CsvFixtures.JOB;
import static io.healthmesh.imports.csv.CsvFixtures.importSuggested;
import static io.healthmesh.imports.csv.CsvFixtures.inspect;
import static io.healthmesh.imports.csv.CsvFixtures.parse;
import static io.healthmesh.imports.csv.CsvFixtures.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.imports.csv.CollectingRowHandler.Skip;
import io.healthmesh.imports.csv.CsvFixtures.Parsed;
import io.healthmesh.imports.csv.CsvMapping.ColumnFormat;
import io.healthmesh.imports.csv.CsvMapping.ValueColumn;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvImportParserTest {

    private static final CsvDialect COMMA = new CsvDialect("UTF-8", false, ',', '"', '.', 1);

    @TempDir
    Path temp;

    @Test
    void myFitnessPalMealsCoverTheirWholeDay() {
        Parsed parsed = importSuggested(CsvFixtures.MFP_NUTRITION, BERLIN);

        assertThat(parsed.summary()).isEqualTo(new CsvParseSummary(4, 35, Map.of()));
        Reading breakfast = parsed.handler().reading("myfitnesspal-nutrition|2025-03-06||Breakfast|0|Calories");
        assertThat(breakfast).isEqualTo(Reading.builder()
                .sourceRecordId("myfitnesspal-nutrition|2025-03-06||Breakfast|0|Calories")
                .metric("dietary_energy")
                .value(412.0)
                .unit("kcal")
                .aggregation(Aggregation.CUMULATIVE)
                .start(OffsetDateTime.parse("2025-03-06T00:00+01:00"))
                .end(OffsetDateTime.parse("2025-03-07T00:00+01:00"))
                .localDate(LocalDate.parse("2025-03-06"))
                .zone(BERLIN)
                .userEntered(true)
                .importJobId(JOB)
                .build());
        assertThat(parsed.handler().reading("myfitnesspal-nutrition|2025-03-06||Lunch|0|Sodium (mg)"))
                .extracting(Reading::metric, Reading::value, Reading::unit)
                .containsExactly("sodium", 1210.0, "mg");
        // Quoted "1,020.5" with a thousands separator.
        assertThat(parsed.handler().reading("myfitnesspal-nutrition|2025-03-07||Dinner|0|Calories").value())
                .isEqualTo(1020.5);
        // The last row has only some nutrients: blank cells are not tracked, not zero.
        assertThat(parsed.handler().ids()).filteredOn(id -> id.contains("|Snacks|")).containsExactly(
                "myfitnesspal-nutrition|2025-03-07||Snacks|0|Calories",
                "myfitnesspal-nutrition|2025-03-07||Snacks|0|Carbohydrates (g)",
                "myfitnesspal-nutrition|2025-03-07||Snacks|0|Fiber",
                "myfitnesspal-nutrition|2025-03-07||Snacks|0|Sugar",
                "myfitnesspal-nutrition|2025-03-07||Snacks|0|Protein (g)");
        // % of daily value is never imported as a mass.
        assertThat(parsed.handler().readings).extracting(Reading::metric)
                .doesNotContain("calcium", "iron", "vitamin_c");
    }

    @Test
    void twoMealsOnOneDateAreTwoReadingsThatSumToTheDay() {
        Parsed parsed = importSuggested(CsvFixtures.MFP_NUTRITION, BERLIN);

        List<Reading> energy = parsed.handler().readings("dietary_energy").stream()
                .filter(reading -> LocalDate.parse("2025-03-06").equals(reading.localDate())).toList();
        assertThat(energy).extracting(Reading::sourceRecordId).containsExactly(
                "myfitnesspal-nutrition|2025-03-06||Breakfast|0|Calories",
                "myfitnesspal-nutrition|2025-03-06||Lunch|0|Calories");
        assertThat(energy).extracting(Reading::start).containsOnly(OffsetDateTime.parse("2025-03-06T00:00+01:00"));
        assertThat(energy.stream().mapToDouble(Reading::value).sum()).isEqualTo(1067.0);
    }

    @Test
    void theSameFileParsedTwiceGivesIdenticalIds() {
        Parsed first = importSuggested(CsvFixtures.MFP_NUTRITION_TIME, BERLIN);
        Parsed second = importSuggested(CsvFixtures.MFP_NUTRITION_TIME, BERLIN);
        assertThat(second.handler().readings).isEqualTo(first.handler().readings);
        assertThat(first.handler().ids()).doesNotHaveDuplicates();
        for (String fixture : List.of(CsvFixtures.CRONOMETER_SERVINGS, CsvFixtures.CRONOMETER_BIOMETRICS,
                CsvFixtures.MFP_EXERCISE)) {
            assertThat(importSuggested(fixture, BERLIN).handler().ids())
                    .isEqualTo(importSuggested(fixture, BERLIN).handler().ids())
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void myFitnessPalWithTimesByteOrderMarkCrlfAndAMultiLineNote() {
        Parsed parsed = importSuggested(CsvFixtures.MFP_NUTRITION_TIME, BERLIN);
        CollectingRowHandler handler = parsed.handler();

        assertThat(parsed.summary().rowsRead()).isEqualTo(4);
        // 4 rows of 10 nutrients, minus the unreadable sodium of the lunch row.
        assertThat(parsed.summary().readings()).isEqualTo(39);
        Reading early = handler.reading("myfitnesspal-nutrition|2025-03-06|7:45 AM|Breakfast|0|Calories");
        assertThat(early.start()).isEqualTo(OffsetDateTime.parse("2025-03-06T07:45+01:00"));
        assertThat(early.end()).isEqualTo(early.start());
        assertThat(early.localDate()).isNull();
        assertThat(early.aggregation()).isEqualTo(Aggregation.CUMULATIVE);
        assertThat(handler.reading("myfitnesspal-nutrition|2025-03-06|8:10 am|Breakfast|0|Calories").start())
                .isEqualTo(OffsetDateTime.parse("2025-03-06T08:10+01:00"));
        // The same date, time and meal again: ordinal 1.
        assertThat(handler.reading("myfitnesspal-nutrition|2025-03-06|7:45 AM|Breakfast|1|Calories").value())
                .isEqualTo(50.0);
        // A blank time: the whole day.
        Reading lunch = handler.reading("myfitnesspal-nutrition|2025-03-06||Lunch|0|Calories");
        assertThat(lunch.start()).isEqualTo(OffsetDateTime.parse("2025-03-06T00:00+01:00"));
        assertThat(lunch.end()).isEqualTo(OffsetDateTime.parse("2025-03-07T00:00+01:00"));
        assertThat(lunch.localDate()).isEqualTo(LocalDate.parse("2025-03-06"));
        // The note spans lines 2-3, so the lunch row is on line 5; its other values still go.
        assertThat(handler.skips).containsExactly(
                new Skip("bad-number", 5, "Sodium (mg): 'n/a' is not a number"));
        assertThat(handler.ids()).filteredOn(id -> id.contains("|Lunch|")).hasSize(9);
    }

    @Test
    void badRowsAreReportedAndGoodRowsGoOn() {
        Parsed parsed = importSuggested(CsvFixtures.MFP_NUTRITION_BAD_ROWS, BERLIN);

        assertThat(parsed.handler().skips).extracting(Skip::reason, Skip::row).containsExactly(
                tuple("bad-date", 3L), tuple("missing-date", 4L), tuple("bad-number", 5L),
                tuple("impossible-value", 6L),
                tuple("wrong-column-count", 7L), tuple("impossible-value", 10L), tuple("impossible-value", 11L),
                tuple("wrong-column-count", 12L));
        assertThat(parsed.handler().skips).extracting(Skip::detail).containsExactly(
                "Date: '2025-13-06' does not match yyyy-M-d",
                "Date: blank",
                "Calories: 'abc' is not a number",
                "Calories: -50 kcal is outside 0-30000 kcal for dietary_energy",
                "the row has 3 cells, the header 20 columns",
                "Calories: 'NaN' is not finite",
                "Calories: '1e999' is not finite",
                "the row has 21 cells, the header 20 columns");
        assertThat(parsed.summary().rowsRead()).isEqualTo(10);
        assertThat(parsed.summary().readings()).isEqualTo(10 + 9 + 9 + 9 + 9 + 10);
        assertThat(parsed.summary().skippedByReason()).isEqualTo(Map.of("bad-date", 1L, "missing-date", 1L,
                "bad-number", 1L, "impossible-value", 3L, "wrong-column-count", 2L));
        assertThat(parsed.summary().skipped()).isEqualTo(8);
        // The Dinner row lost its calories only.
        assertThat(parsed.handler().ids()).filteredOn(id -> id.startsWith("myfitnesspal-nutrition|2025-03-06||Dinner"))
                .hasSize(9).doesNotContain("myfitnesspal-nutrition|2025-03-06||Dinner|0|Calories");
    }

    @Test
    void myFitnessPalMeasurementOnceTheUserGivesTheWeightUnit() {
        CsvPreview preview = inspect(CsvFixtures.MFP_MEASUREMENT, BERLIN);
        CsvMapping suggested = preview.suggestedMapping();
        List<ValueColumn> values = new ArrayList<>(suggested.values());
        values.add(new ValueColumn("Weight", "body_mass", "kg", null, null));
        CsvMapping mapping = new CsvMapping(suggested.preset(), suggested.source(), suggested.date(), null,
                suggested.zone(), null, null, suggested.labels(), values, null, suggested.userEntered(), List.of());
        assertThat(CsvMappingValidator.problems(mapping, preview.header())).isEmpty();

        Parsed parsed = parse(path(CsvFixtures.MFP_MEASUREMENT), preview.dialect(), mapping);

        assertThat(parsed.handler().readings("body_mass")).extracting(Reading::value).containsExactly(71.4, 71.0, 70.8);
        Reading weight = parsed.handler().reading("myfitnesspal-measurement|2025-03-01||0|Weight");
        assertThat(weight.start()).isEqualTo(OffsetDateTime.parse("2025-03-01T00:00+01:00"));
        assertThat(weight.end()).isEqualTo(weight.start());
        assertThat(weight.localDate()).isNull();
        assertThat(weight.aggregation()).isEqualTo(Aggregation.SAMPLE);
        assertThat(weight.unit()).isEqualTo("kg");
        assertThat(weight.userEntered()).isTrue();
        assertThat(parsed.handler().readings("body_fat_percentage")).extracting(Reading::value, Reading::unit)
                .containsExactly(tuple(18.5, "%"), tuple(18.1, "%"));
    }

    @Test
    void myFitnessPalSuggestionAloneImportsOnlyWhatItCovers() {
        Parsed parsed = importSuggested(CsvFixtures.MFP_MEASUREMENT, BERLIN);
        assertThat(parsed.summary()).isEqualTo(new CsvParseSummary(3, 2, Map.of()));
        assertThat(parsed.handler().readings).extracting(Reading::metric).containsOnly("body_fat_percentage");
    }

    @Test
    void myFitnessPalExerciseNamesLoseTheirLiteralQuotes() {
        Parsed parsed = importSuggested(CsvFixtures.MFP_EXERCISE, BERLIN);

        assertThat(parsed.handler().ids()).containsExactly(
                "myfitnesspal-exercise|2026-01-10||Walking, 3.5 mph|0|Exercise Calories",
                "myfitnesspal-exercise|2026-01-10||Walking, 3.5 mph|0|Exercise Minutes",
                "myfitnesspal-exercise|2026-01-10||Health Connect calorie adjustment|0|Exercise Calories",
                "myfitnesspal-exercise|2026-01-10||Health Connect calorie adjustment|0|Steps",
                "myfitnesspal-exercise|2026-01-11||Walking, 3.5 mph|0|Exercise Calories",
                "myfitnesspal-exercise|2026-01-11||Walking, 3.5 mph|0|Exercise Minutes");
        Reading steps = parsed.handler().reading(
                "myfitnesspal-exercise|2026-01-10||Health Connect calorie adjustment|0|Steps");
        assertThat(steps).extracting(Reading::metric, Reading::value, Reading::unit, Reading::aggregation,
                Reading::localDate, Reading::userEntered)
                .containsExactly("steps", 4200.0, "count", Aggregation.CUMULATIVE, LocalDate.parse("2026-01-10"), null);
        assertThat(steps.end()).isEqualTo(OffsetDateTime.parse("2026-01-11T00:00+01:00"));
    }

    @Test
    void cronometerDailySummaryIsDaily() {
        Parsed parsed = importSuggested(CsvFixtures.CRONOMETER_DAILY, BERLIN);

        assertThat(parsed.summary()).isEqualTo(new CsvParseSummary(2, 23, Map.of()));
        // The unpadded date stays as written in the id; its local date is 2016-09-26.
        Reading energy = parsed.handler().reading("cronometer-dailysummary|2016-9-26||0|Energy (kcal)");
        assertThat(energy).isEqualTo(Reading.builder()
                .sourceRecordId("cronometer-dailysummary|2016-9-26||0|Energy (kcal)")
                .metric("dietary_energy")
                .value(2104.3)
                .unit("kcal")
                .aggregation(Aggregation.DAILY)
                .start(OffsetDateTime.parse("2016-09-26T00:00+02:00"))
                .end(OffsetDateTime.parse("2016-09-27T00:00+02:00"))
                .localDate(LocalDate.parse("2016-09-26"))
                .zone(BERLIN)
                .userEntered(true)
                .importJobId(JOB)
                .build());
        assertThat(parsed.handler().reading("cronometer-dailysummary|2016-9-26||0|Water (g)"))
                .extracting(Reading::metric, Reading::value, Reading::unit).containsExactly("water", 2250.0, "mL");
        assertThat(parsed.handler().readings).extracting(Reading::aggregation).containsOnly(Aggregation.DAILY);
        // Blank cells on the second day are nutrients not tracked.
        assertThat(parsed.handler().ids()).filteredOn(id -> id.contains("2016-09-27")).hasSize(8);
    }

    @Test
    void cronometerDailySummaryInKilojoules() throws Exception {
        Path file = write("dailysummary.csv", "Date,Energy (kJ),Protein (g),Completed\n2024-01-02,8368,80,true\n");
        CsvPreview preview = new CsvInspector().inspect(file, "dailysummary.csv", BERLIN);
        Parsed parsed = parse(file, preview.dialect(), preview.suggestedMapping());
        assertThat(parsed.handler().readings("dietary_energy")).extracting(Reading::value, Reading::unit)
                .containsExactly(tuple(8368.0, "kJ"));
    }

    @Test
    void cronometerServingsWithCommasInFoodNames() {
        Parsed parsed = importSuggested(CsvFixtures.CRONOMETER_SERVINGS, BERLIN);
        CollectingRowHandler handler = parsed.handler();

        assertThat(parsed.summary()).isEqualTo(new CsvParseSummary(4, 32, Map.of()));
        Reading oats = handler.reading(
                "cronometer-servings|2023-05-02|8:05 AM|Breakfast|Oats, Rolled, Dry|0|Energy (kcal)");
        assertThat(oats.start()).isEqualTo(OffsetDateTime.parse("2023-05-02T08:05+02:00"));
        assertThat(oats.value()).isEqualTo(150.0);
        assertThat(handler.reading("cronometer-servings|2023-05-02|8:05 AM|Breakfast|Oats, Rolled, Dry|1|Energy (kcal)")
                .value()).isEqualTo(150.0);
        assertThat(handler.reading(
                "cronometer-servings|2023-05-02|8:05 AM|Breakfast|Milk, 2%25, \"Organic\" brand|0|Water (g)"))
                .extracting(Reading::metric, Reading::value, Reading::unit).containsExactly("water", 178.0, "mL");
        Reading salmon = handler.reading(
                "cronometer-servings|2023-05-02||Dinner|Salmon, Atlantic, Farmed, Cooked|0|Protein (g)");
        assertThat(salmon.localDate()).isEqualTo(LocalDate.parse("2023-05-02"));
        assertThat(salmon.end()).isEqualTo(OffsetDateTime.parse("2023-05-03T00:00+02:00"));
    }

    @Test
    void cronometerBiometricsLongFormat() {
        Parsed parsed = importSuggested(CsvFixtures.CRONOMETER_BIOMETRICS, BERLIN);
        CollectingRowHandler handler = parsed.handler();

        assertThat(handler.readings).extracting(Reading::sourceRecordId, Reading::metric, Reading::value,
                Reading::unit, Reading::device, Reading::userEntered).containsExactly(
                tuple("cronometer-biometrics|2023-05-02|12:00 AM|Uncategorized|0|Heart Rate (Garmin)", "heart_rate",
                        52.0, "count/min", "Garmin", false),
                tuple("cronometer-biometrics|2023-05-02|7:05 AM|Morning|0|Weight", "body_mass", 71.4, "kg", null, true),
                tuple("cronometer-biometrics|2023-05-02|8:30 AM|Morning|0|Blood Glucose", "blood_glucose", 94.0,
                        "mg/dL", null, true),
                tuple("cronometer-biometrics|2023-05-03|7:00 AM|Morning|0|Weight", "body_mass", 157.0, "lb", null,
                        true),
                tuple("cronometer-biometrics|2023-05-03||Uncategorized|0|Resting Heart Rate (Garmin)",
                        "resting_heart_rate", 48.0, "count/min", "Garmin", false));
        Reading heartRate = handler.readings.get(0);
        assertThat(heartRate.start()).isEqualTo(OffsetDateTime.parse("2023-05-02T00:00+02:00"));
        assertThat(heartRate.aggregation()).isEqualTo(Aggregation.SAMPLE);
        Reading resting = handler.readings.get(4);
        assertThat(resting.aggregation()).isEqualTo(Aggregation.DAILY);
        assertThat(resting.localDate()).isEqualTo(LocalDate.parse("2023-05-03"));
        assertThat(handler.skips).containsExactly(
                new Skip("ignored-metric", 2, "Metric: 'Sleep (Garmin)' is mapped to nothing (not imported)"),
                new Skip("unmapped-metric", 6, "Metric: 'Insulin' is not in the mapping's metrics"),
                new Skip("unmapped-metric", 7, "Metric: 'Blood Pressure' is not in the mapping's metrics"));
        assertThat(parsed.summary().rowsRead()).isEqualTo(8);
    }

    @Test
    void aBloodPressurePairIsNotANumber() {
        CsvPreview preview = inspect(CsvFixtures.CRONOMETER_BIOMETRICS, BERLIN);
        CsvMapping suggested = preview.suggestedMapping();
        Map<String, String> metrics = new HashMap<>(suggested.longFormat().metrics());
        metrics.put("blood pressure", "blood_pressure_systolic");
        metrics.put("Insulin", "heart_rate");
        CsvMapping mapping = new CsvMapping(suggested.preset(), suggested.source(), suggested.date(), suggested.time(),
                suggested.zone(), null, null, suggested.labels(), List.of(),
                new CsvMapping.LongFormat("Metric", "Unit", "Amount", metrics), true, null);

        Parsed parsed = parse(path(CsvFixtures.CRONOMETER_BIOMETRICS), preview.dialect(), mapping);

        assertThat(parsed.handler().skips).contains(
                new Skip("bad-unit", 6, "Unit: 'units' is unknown for 'Insulin'"),
                new Skip("bad-number", 7, "Amount: '120/80' is not a number"));
    }

    @Test
    void metricNamesWithAMetricInBracketsAreNotDevices() throws Exception {
        Path file = write("bio.csv", "Day,Time,Group,Metric,Unit,Amount\n"
                + "2023-05-02,7:00 AM,Morning,Weight (Withings),kg,71.4\n"
                + "2023-05-02,7:00 AM,Morning,Weight (Withings),kg,71.6\n"
                + "2023-05-02,7:00 AM,Morning,Heart Rate,kg,60\n"
                + "2023-05-02,7:00 AM,Morning,Heart Rate,bpm,\n");
        CsvPreview preview = new CsvInspector().inspect(file, "biometrics.csv", BERLIN);
        Parsed parsed = parse(file, preview.dialect(), preview.suggestedMapping());
        assertThat(parsed.handler().readings).extracting(Reading::sourceRecordId, Reading::device).containsExactly(
                tuple("cronometer-biometrics|2023-05-02|7:00 AM|Morning|0|Weight (Withings)", "Withings"),
                tuple("cronometer-biometrics|2023-05-02|7:00 AM|Morning|1|Weight (Withings)", "Withings"));
        assertThat(parsed.handler().skips).extracting(Skip::reason).containsExactly("bad-unit", "missing-value");
    }

    @Test
    void cronometerExercisesLastTheirMinutes() {
        Parsed parsed = importSuggested(CsvFixtures.CRONOMETER_EXERCISES, BERLIN);
        CollectingRowHandler handler = parsed.handler();

        Reading running = handler.reading(
                "cronometer-exercises|2023-05-02|6:30 PM|Uncategorized|Running, 10 km/h|0|Calories Burned");
        assertThat(running).extracting(Reading::metric, Reading::value, Reading::unit, Reading::start, Reading::end)
                .containsExactly("active_energy", 520.5, "kcal", OffsetDateTime.parse("2023-05-02T18:30+02:00"),
                        OffsetDateTime.parse("2023-05-02T19:15+02:00"));
        assertThat(handler.reading("cronometer-exercises|2023-05-02|6:30 PM|Uncategorized|Running, 10 km/h|0|Minutes"))
                .extracting(Reading::metric, Reading::value, Reading::unit)
                .containsExactly("exercise_time", 45.0, "min");
        Reading walking = handler.reading("cronometer-exercises|2023-05-03||Uncategorized|Walking|0|Calories Burned");
        assertThat(walking.value()).isEqualTo(120.0);
        assertThat(walking.localDate()).isEqualTo(LocalDate.parse("2023-05-03"));
        // No minutes: an instant.
        Reading cycling = handler.reading("cronometer-exercises|2023-05-04|7:00 AM|Morning|Cycling|0|Calories Burned");
        assertThat(cycling.end()).isEqualTo(cycling.start()).isEqualTo(OffsetDateTime.parse("2023-05-04T07:00+02:00"));
        assertThat(parsed.summary()).isEqualTo(new CsvParseSummary(3, 5, Map.of()));
    }

    @Test
    void aEuropeanResaveReadsDecimalCommas() {
        Parsed parsed = importSuggested(CsvFixtures.RESAVED_SEMICOLON, BERLIN);
        assertThat(parsed.summary()).isEqualTo(new CsvParseSummary(2, 20, Map.of()));
        assertThat(parsed.handler().reading("myfitnesspal-nutrition|2025-03-06||Breakfast|0|Calories").value())
                .isEqualTo(412.5);
        assertThat(parsed.handler().reading("myfitnesspal-nutrition|2025-03-06||Breakfast|0|Carbohydrates (g)").value())
                .isEqualTo(38.5);
        assertThat(parsed.handler().reading("myfitnesspal-nutrition|2025-03-06||Lunch|0|Fiber").value()).isEqualTo(8.2);
    }

    @Test
    void aLatin1FileKeepsItsAccents() {
        Parsed parsed = importSuggested(CsvFixtures.LATIN1, BERLIN);
        assertThat(parsed.handler().ids()).containsExactly(
                "cronometer-servings|2023-05-02|12:30 PM|D\u00e9jeuner|Cr\u00e8me fra\u00eeche, full fat|0|"
                        + "Energy (kcal)",
                "cronometer-servings|2023-05-02|12:30 PM|D\u00e9jeuner|Cr\u00e8me fra\u00eeche, full fat|0|Fat (g)",
                "cronometer-servings|2023-05-02|12:30 PM|D\u00e9jeuner|Caf\u00e9 au lait|0|Energy (kcal)",
                "cronometer-servings|2023-05-02|12:30 PM|D\u00e9jeuner|Caf\u00e9 au lait|0|Fat (g)");
    }

    @Test
    void aGenericFile() {
        Parsed parsed = importSuggested(CsvFixtures.GENERIC, null);

        assertThat(parsed.handler().readings).extracting(Reading::sourceRecordId, Reading::metric, Reading::value,
                Reading::unit, Reading::aggregation, Reading::start, Reading::end, Reading::localDate).containsExactly(
                tuple("generic|2024-03-01||0|Weight (lb)", "body_mass", 165.2, "lb", Aggregation.SAMPLE,
                        OffsetDateTime.parse("2024-03-01T00:00Z"), OffsetDateTime.parse("2024-03-01T00:00Z"), null),
                tuple("generic|2024-03-01||0|Steps", "steps", 8042.0, "count", Aggregation.CUMULATIVE,
                        OffsetDateTime.parse("2024-03-01T00:00Z"), OffsetDateTime.parse("2024-03-02T00:00Z"),
                        LocalDate.parse("2024-03-01")),
                tuple("generic|2024-03-02||0|Weight (lb)", "body_mass", 164.8, "lb", Aggregation.SAMPLE,
                        OffsetDateTime.parse("2024-03-02T00:00Z"), OffsetDateTime.parse("2024-03-02T00:00Z"), null),
                tuple("generic|2024-03-02||0|Steps", "steps", 10230.0, "count", Aggregation.CUMULATIVE,
                        OffsetDateTime.parse("2024-03-02T00:00Z"), OffsetDateTime.parse("2024-03-03T00:00Z"),
                        LocalDate.parse("2024-03-02")));
        assertThat(parsed.handler().readings).extracting(Reading::zone, Reading::userEntered, Reading::importJobId)
                .containsOnly(tuple("UTC", null, JOB));
    }

    @Test
    void formulaCellsAreNeutralisedInSkipDetails() {
        Parsed parsed = importSuggested(CsvFixtures.FORMULA, BERLIN);
        assertThat(parsed.handler().skips).containsExactly(
                new Skip("bad-number", 3, "Weight (kg): ''@SUM(1)' is not a number"),
                new Skip("impossible-value", 4, "Weight (kg): -3.2 kg is outside 2-650 kg for body_mass"));
        assertThat(parsed.handler().readings).extracting(Reading::value).containsExactly(70.1);
    }

    @Test
    void aColumnShownInItsSafeFormCanBeMapped() {
        CsvPreview preview = inspect(CsvFixtures.FORMULA, BERLIN);
        CsvMapping suggested = preview.suggestedMapping();
        CsvMapping mapping = new CsvMapping("generic", "csv", suggested.date(), null, BERLIN, null, null, List.of(),
                List.of(new ValueColumn("'=SUM(A1:A2)", "steps", "count", null, null)), null, null, null);
        assertThat(CsvMappingValidator.problems(mapping, preview.header())).isEmpty();
        Parsed parsed = parse(path(CsvFixtures.FORMULA), preview.dialect(), mapping);
        // The identity keeps the header as written.
        assertThat(parsed.handler().ids()).containsExactly("generic|2024-03-01||0|=SUM(A1:A2)",
                "generic|2024-03-02||0|=SUM(A1:A2)", "generic|2024-03-03||0|=SUM(A1:A2)");
    }

    @Test
    void timesDurationsEndsAndOffsets() throws Exception {
        Path file = write("sessions.csv", "Date,Start,End,Minutes,Steps,Heart Rate\n"
                + "2024-03-01,22:30,00:15,,1200,\n"              // end after midnight: next day
                + "2024-03-02,07:00,07:00,,300,\n"
                + "2024-03-02,08:00,07:00:00,,300,\n"           // does not match HH:mm: bad-end
                + "2024-03-03,25:00,,,1,\n"                      // bad-time
                + "2024-03-03,,,,700,61\n");                     // date only
        CsvMapping mapping = new CsvMapping("generic", "csv", new ColumnFormat("Date", "yyyy-MM-dd"),
                new ColumnFormat("Start", "HH:mm"), BERLIN, new ColumnFormat("End", "HH:mm"), null, List.of(),
                List.of(new ValueColumn("Steps", "steps", null, null, null),
                        new ValueColumn("Heart Rate", "heart_rate", "bpm", null, null)),
                null, null, null);
        List<String> header = List.of("Date", "Start", "End", "Minutes", "Steps", "Heart Rate");
        assertThat(CsvMappingValidator.problems(mapping, header)).containsExactly(
                "values[0].unit: missing: column 'Steps' names no unit (give one that fits steps, e.g. count)");
        mapping = new CsvMapping("generic", "csv", mapping.date(), mapping.time(), BERLIN, mapping.end(), null,
                List.of(), List.of(new ValueColumn("Steps", "steps", "count", null, null),
                        new ValueColumn("Heart Rate", "heart_rate", "bpm", null, null)), null, null, null);

        Parsed parsed = parse(file, COMMA, mapping);

        assertThat(parsed.handler().readings).extracting(Reading::value, Reading::start, Reading::end).containsExactly(
                tuple(1200.0, at("2024-03-01T22:30+01:00"), at("2024-03-02T00:15+01:00")),
                tuple(300.0, at("2024-03-02T07:00+01:00"), at("2024-03-02T07:00+01:00")),
                tuple(700.0, at("2024-03-03T00:00+01:00"), at("2024-03-04T00:00+01:00")),
                tuple(61.0, at("2024-03-03T00:00+01:00"), at("2024-03-03T00:00+01:00")));
        assertThat(parsed.handler().readings.get(3).unit()).isEqualTo("count/min");
        assertThat(parsed.handler().skips).extracting(Skip::reason, Skip::row)
                .containsExactly(tuple("bad-end", 4L), tuple("bad-time", 5L));
    }

    @Test
    void durationsInTheirUnitAndOffsetsInTheDate() throws Exception {
        Path file = write("d.csv", "When,Hours,Energy\n"
                + "2024-03-01T10:00:00+05:30,1.5,300\n"
                + "2024-03-01T12:00:00Z,-1,100\n"
                + "2024-03-01T13:00:00Z,800,100\n");
        CsvMapping mapping = new CsvMapping("generic", "csv", new ColumnFormat("When", "yyyy-MM-dd'T'HH:mm:ssXXX"),
                null, BERLIN, null, new CsvMapping.DurationColumn("Hours", "h"), List.of(),
                List.of(new ValueColumn("Energy", "active_energy", "kcal", null, null)), null, null, null);
        Parsed parsed = parse(file, COMMA, mapping);

        assertThat(parsed.handler().readings).extracting(Reading::start, Reading::end, Reading::zone).containsExactly(
                tuple(OffsetDateTime.parse("2024-03-01T10:00+05:30"), OffsetDateTime.parse("2024-03-01T11:30+05:30"),
                        BERLIN));
        assertThat(parsed.handler().skips).extracting(Skip::reason).containsExactly("bad-duration", "bad-duration");
    }

    @Test
    void aDateOnlyDayAcrossTheSpringChangeIs23HoursLong() throws Exception {
        Path file = write("dst.csv", "Date,Steps\n2025-03-30,5000\n");
        CsvMapping mapping = new CsvMapping("generic", "csv", new ColumnFormat("Date", "yyyy-MM-dd"), null, BERLIN,
                null, null, null, List.of(new ValueColumn("Steps", "steps", "count", null, null)), null, null, null);
        Reading steps = parse(file, COMMA, mapping).handler().readings.get(0);
        assertThat(steps.start()).isEqualTo(OffsetDateTime.parse("2025-03-30T00:00+01:00"));
        assertThat(steps.end()).isEqualTo(OffsetDateTime.parse("2025-03-31T00:00+02:00"));
    }

    @Test
    void datesAreStrictAndBounded() throws Exception {
        Path file = write("dates.csv", "Date,Steps\n2024-02-30,1\n2024-2-29,2\n1850-01-01,3\n02/03/2024,4\n");
        CsvMapping mapping = new CsvMapping("generic", "csv", new ColumnFormat("Date", "yyyy-M-d"), null, "UTC",
                null, null, null, List.of(new ValueColumn("Steps", "steps", "count", null, null)), null, null, null);
        Parsed parsed = parse(file, COMMA, mapping);
        assertThat(parsed.handler().readings).extracting(Reading::value).containsExactly(2.0);
        assertThat(parsed.handler().skips).extracting(Skip::reason, Skip::row)
                .containsExactly(tuple("bad-date", 2L), tuple("bad-date", 4L), tuple("bad-date", 5L));
    }

    @Test
    void aHugeRowStopsTheImportAfterWhatCameBefore() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("Date,Steps,Note\n".getBytes(StandardCharsets.UTF_8));
        for (int day = 1; day <= 20; day++) {
            bytes.writeBytes(("2024-03-" + day + ",100,\n").getBytes(StandardCharsets.UTF_8));
        }
        bytes.writeBytes(("2024-04-01,100," + "x".repeat(CsvLimits.MAX_RECORD_CHARS) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("2024-04-02,100,\n".getBytes(StandardCharsets.UTF_8));
        CollectingRowHandler handler = new CollectingRowHandler();
        CsvImportParser parser = new CsvImportParser(JOB);

        MalformedCsvException error = catchThrowableOfType(() -> parser.parse(
                new ByteArrayInputStream(bytes.toByteArray()), COMMA, stepsMapping(), handler),
                MalformedCsvException.class);

        assertThat(error.rowNumber()).isEqualTo(22);
        assertThat(error.getMessage()).isEqualTo("The row starting on line 22 is longer than 1024 KiB. The 20 rows "
                + "before it were read (readings: 20).");
        assertThat(handler.readings).hasSize(20);
        assertThat(parser.progress().readings()).isEqualTo(20);
    }

    @Test
    void tooManyColumnsStopTheImport() {
        String text = "Date,Steps\n2024-03-01,1\n2024-03-02" + ",1".repeat(CsvLimits.MAX_COLUMNS + 1) + "\n";
        MalformedCsvException error = catchThrowableOfType(() -> new CsvImportParser(JOB).parse(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), COMMA, stepsMapping(),
                new CollectingRowHandler()), MalformedCsvException.class);
        assertThat(error.rowNumber()).isEqualTo(3);
        assertThat(error.getMessage()).startsWith("The row starting on line 3 has more than 2000 columns.");
    }

    @Test
    void aQuoteNeverClosedStopsTheImport() {
        String text = "Date,Steps,Note\n2024-03-01,1,ok\n2024-03-02,2,\"open\n2024-03-03,3,\n2024-03-04,4,\n";
        CollectingRowHandler handler = new CollectingRowHandler();
        MalformedCsvException error = catchThrowableOfType(() -> new CsvImportParser(JOB).parse(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), COMMA, stepsMapping(), handler),
                MalformedCsvException.class);
        assertThat(error.rowNumber()).isEqualTo(3);
        assertThat(error.getMessage()).startsWith("A quote opened in the row starting on line 3 is never closed");
        assertThat(handler.readings).hasSize(1);
    }

    @Test
    void aMappingThatDoesNotFitTheFileIsRefusedBeforeAnyRow() {
        String text = "Datum,Schritte\n2024-03-01,1\n";
        MalformedCsvException error = catchThrowableOfType(() -> new CsvImportParser(JOB).parse(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), COMMA, stepsMapping(),
                new CollectingRowHandler()), MalformedCsvException.class);
        assertThat(error.rowNumber()).isEqualTo(1);
        assertThat(error.getMessage()).contains("date.column: no column 'Date' in the header");
    }

    @Test
    void nothingButTheDeclaredExceptionsForBadInput() throws IOException {
        byte[][] inputs = {new byte[0], "\n\n".getBytes(StandardCharsets.UTF_8), {0, 1, 2, 3, 'P', 'K'},
            "Date,Steps\n\u0000,\u0000\n".getBytes(StandardCharsets.UTF_8),
            "Date,Steps\n9999999999-01-01,1\n+999999999-12-31,1\n2024-03-01,1e308\n".getBytes(StandardCharsets.UTF_8)};
        for (byte[] input : inputs) {
            try (InputStream in = new ByteArrayInputStream(input)) {
                new CsvImportParser(JOB).parse(in, COMMA, stepsMapping(), new CollectingRowHandler());
            } catch (MalformedCsvException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        CsvDialect broken = new CsvDialect("EBCDIC-nonsense", false, ',', '"', '.', 1);
        assertThat(catchThrowableOfType(() -> new CsvImportParser(JOB).parse(new ByteArrayInputStream(new byte[0]),
                broken, stepsMapping(), new CollectingRowHandler()), MalformedCsvException.class)).isNotNull();
        CsvDialect sameQuote = new CsvDialect("UTF-8", false, '"', '"', '.', 1);
        assertThat(catchThrowableOfType(() -> new CsvImportParser(JOB).parse(new ByteArrayInputStream(new byte[0]),
                sameQuote, stepsMapping(), new CollectingRowHandler()), MalformedCsvException.class)).isNotNull();
    }

    @Test
    void aParserCanBeReused() {
        CsvImportParser parser = new CsvImportParser(JOB);
        CsvPreview preview = inspect(CsvFixtures.MFP_NUTRITION, BERLIN);
        List<CsvParseSummary> summaries = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            try (InputStream in = Files.newInputStream(path(CsvFixtures.MFP_NUTRITION))) {
                summaries.add(parser.parse(in, preview.dialect(), preview.suggestedMapping(),
                        new CollectingRowHandler()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        assertThat(summaries.get(1)).isEqualTo(summaries.get(0));
    }

    private static OffsetDateTime at(String text) {
        return OffsetDateTime.parse(text);
    }

    private static CsvMapping stepsMapping() {
        return new CsvMapping("generic", "csv", new ColumnFormat("Date", "yyyy-M-d"), null, "UTC", null, null, null,
                List.of(new ValueColumn("Steps", "steps", "count", null, null)), null, null, null);
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    private Path write(String name, String text) throws IOException {
        Path file = temp.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
