package io.healthmesh.systemtests.imports;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Apple Health exports far larger than a service's heap but cheap to import: a few heart-rate
 * samples spread through a mass of records of a type the importer does not map (about 4 KB each),
 * so that the file is large and the events few.
 */
public final class LargeExport {

    public static final String FILLER_TYPE = "HKQuantityTypeIdentifierEnvironmentalAudioExposure";
    private static final DateTimeFormatter APPLE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String WATCH = "&lt;&lt;HKDevice: 0x2813a2b70&gt;, name:Apple Watch, manufacturer:Apple Inc.,"
            + " model:Watch, hardware:Watch6,2, software:9.3.1&gt;";

    private LargeExport() {
    }

    /**
     * Writes an export.xml of about {@code targetBytes} holding {@code readings} heart-rate samples
     * (a minute apart from 2024-01-01 00:00 +0200); answers how many filler records it holds.
     */
    public static long write(Path target, long targetBytes, int readings) throws IOException {
        String padding = "x".repeat(3_600);
        LocalDateTime start = LocalDateTime.of(2024, 1, 1, 0, 0);
        long written = 0;
        long perReading = targetBytes / readings / 4_000;
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(target, StandardCharsets.UTF_8), 1 << 16)) {
            out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE HealthData [\n"
                    + "<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>\n]>\n"
                    + "<HealthData locale=\"en_US\">\n <ExportDate value=\"2024-06-01 21:04:11 +0200\"/>\n"
                    + " <Me HKCharacteristicTypeIdentifierBiologicalSex=\"HKBiologicalSexFemale\"/>\n");
            for (int i = 0; i < readings; i++) {
                String at = APPLE.format(start.plusMinutes(i)) + " +0200";
                out.write(" <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"Watch\" sourceVersion=\"9.3.1\""
                        + " device=\"" + WATCH + "\" unit=\"count/min\" creationDate=\"" + at + "\" startDate=\"" + at
                        + "\" endDate=\"" + at + "\" value=\"" + (55 + i % 40) + "\"/>\n");
                for (long f = 0; f < perReading; f++) {
                    out.write(" <Record type=\"" + FILLER_TYPE + "\" sourceName=\"Watch\" sourceVersion=\"9.3.1\""
                            + " device=\"" + WATCH + "\" unit=\"dBASPL\" creationDate=\"" + at + "\" startDate=\"" + at
                            + "\" endDate=\"" + at + "\" value=\"62.5\"><MetadataEntry key=\"padding\" value=\""
                            + padding + "\"/></Record>\n");
                    written++;
                }
            }
            out.write("</HealthData>\n");
        }
        return written;
    }
}
