package io.healthmesh.imports.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CSV fixtures under src/test/resources/csv/, and an inspect-then-parse of them. */
final class CsvFixtures {

    static final String JOB = "job-7";
    static final String BERLIN = "Europe/Berlin";

    static final String MFP_NUTRITION = "mfp-nutrition.csv";
    static final String MFP_NUTRITION_TIME = "mfp-nutrition-time.csv";
    static final String MFP_NUTRITION_BAD_ROWS = "mfp-nutrition-bad-rows.csv";
    static final String MFP_MEASUREMENT = "Measurement-Summary-2025-03-01-to-2025-03-08.csv";
    static final String MFP_EXERCISE = "mfp-exercise.csv";
    static final String CRONOMETER_DAILY = "cronometer-dailysummary.csv";
    static final String CRONOMETER_SERVINGS = "cronometer-servings.csv";
    static final String CRONOMETER_BIOMETRICS = "cronometer-biometrics.csv";
    static final String CRONOMETER_EXERCISES = "cronometer-exercises.csv";
    static final String RESAVED_SEMICOLON = "resaved-semicolon.csv";
    static final String LATIN1 = "latin1-servings.csv";
    static final String GENERIC = "generic.csv";
    static final String FORMULA = "formula.csv";

    private CsvFixtures() {
    }

    static Path path(String name) {
        URL url = CsvFixtures.class.getResource("/csv/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static CsvPreview inspect(String name, String homeZone) {
        try {
            return new CsvInspector().inspect(path(name), name, homeZone);
        } catch (CsvRejectedException | IOException e) {
            throw new AssertionError("inspecting " + name + " failed", e);
        }
    }

    static Parsed parse(Path file, CsvDialect dialect, CsvMapping mapping) {
        CollectingRowHandler handler = new CollectingRowHandler();
        try (InputStream in = Files.newInputStream(file)) {
            CsvParseSummary summary = new CsvImportParser(JOB).parse(in, dialect, mapping, handler);
            return new Parsed(summary, handler);
        } catch (MalformedCsvException e) {
            throw new AssertionError("parsing " + file + " failed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Inspects a fixture with a home zone and imports it with the suggested mapping, unchanged. */
    static Parsed importSuggested(String name, String homeZone) {
        CsvPreview preview = inspect(name, homeZone);
        return parse(path(name), preview.dialect(), preview.suggestedMapping());
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Parsed(CsvParseSummary summary, CollectingRowHandler handler) {
    }
}
