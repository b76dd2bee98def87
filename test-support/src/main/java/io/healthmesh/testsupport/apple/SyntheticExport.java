package io.healthmesh.testsupport.apple;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a synthetic Apple Health export.xml of a given number of minutes of a person's life, in
 * the shape real exports have (internal DTD, Records grouped by type, Watch and iPhone sources,
 * HKDevice strings, metadata): for tests that need a large file and for the import benchmark.
 * Per minute: a Watch heart rate; per ten minutes: Watch and iPhone step counts, active energy
 * and walking distance; a weight each morning. Deterministic for a given size.
 */
public final class SyntheticExport {

    private static final DateTimeFormatter APPLE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String OFFSET = " +0200";
    private static final String WATCH = "&lt;&lt;HKDevice: 0x2813a2b70&gt;, name:Apple Watch, manufacturer:Apple Inc.,"
            + " model:Watch, hardware:Watch6,2, software:9.3.1&gt;";
    private static final String PHONE = "&lt;&lt;HKDevice: 0x2813a1f40&gt;, name:iPhone, manufacturer:Apple Inc.,"
            + " model:iPhone, hardware:iPhone14,5, software:16.3.1&gt;";
    private static final LocalDateTime START = LocalDateTime.of(2023, 1, 1, 0, 0);

    private SyntheticExport() {
    }

    /** Records written for {@code minutes} minutes (heart rate every minute, the rest coarser). */
    public static long recordsFor(long minutes) {
        return minutes + (minutes / 10) * 4 + minutes / 1440;
    }

    public static void writeXml(Path target, long minutes) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            write(out, minutes);
        }
    }

    /** export.zip with the export under {@code apple_health_export/}, as the phone makes it. */
    public static void writeZip(Path target, long minutes) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(target))) {
            zip.putNextEntry(new ZipEntry("apple_health_export/export.xml"));
            write(zip, minutes);
            zip.closeEntry();
        }
    }

    private static void write(OutputStream target, long minutes) throws IOException {
        Writer out = new BufferedWriter(new OutputStreamWriter(new NonClosing(target), StandardCharsets.UTF_8),
                1 << 16);
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE HealthData [\n"
                + "<!-- HealthKit Export Version: 14 -->\n"
                + "<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>\n"
                + "<!ATTLIST HealthData locale CDATA #REQUIRED>\n]>\n<HealthData locale=\"en_US\">\n"
                + " <ExportDate value=\"2024-06-01 21:04:11 +0200\"/>\n"
                + " <Me HKCharacteristicTypeIdentifierDateOfBirth=\"1988-06-14\""
                + " HKCharacteristicTypeIdentifierBiologicalSex=\"HKBiologicalSexFemale\"/>\n");
        for (long m = 0; m < minutes; m++) {
            LocalDateTime at = START.plusMinutes(m);
            String time = APPLE.format(at) + OFFSET;
            record(out, "HKQuantityTypeIdentifierHeartRate", "Maya’s Apple Watch", WATCH, "count/min",
                    time, time, time, String.valueOf(55 + (m * 7919) % 60));
        }
        for (long m = 0; m + 10 <= minutes; m += 10) {
            LocalDateTime at = START.plusMinutes(m);
            String start = APPLE.format(at) + OFFSET;
            String end = APPLE.format(at.plusMinutes(10)) + OFFSET;
            String phoneStart = APPLE.format(at.plusMinutes(3)) + OFFSET;
            String phoneEnd = APPLE.format(at.plusMinutes(13)) + OFFSET;
            long steps = (m * 104729) % 900;
            record(out, "HKQuantityTypeIdentifierStepCount", "Maya’s Apple Watch", WATCH, "count", end, start, end,
                    String.valueOf(steps));
            record(out, "HKQuantityTypeIdentifierStepCount", "Maya’s iPhone", PHONE, "count", phoneEnd, phoneStart,
                    phoneEnd, String.valueOf(steps * 9 / 10));
            record(out, "HKQuantityTypeIdentifierActiveEnergyBurned", "Maya’s Apple Watch", WATCH, "Cal", end, start,
                    end, String.format(Locale.ROOT, "%.3f", steps * 0.045));
            record(out, "HKQuantityTypeIdentifierDistanceWalkingRunning", "Maya’s iPhone", PHONE, "mi", phoneEnd,
                    phoneStart, phoneEnd, String.format(Locale.ROOT, "%.5f", steps * 0.00047));
        }
        for (long m = 7 * 60; m < minutes; m += 1440) {
            String time = APPLE.format(START.plusMinutes(m)) + OFFSET;
            record(out, "HKQuantityTypeIdentifierBodyMass", "Health Mate", null, "lb", time, time, time,
                    String.format(Locale.ROOT, "%.1f", 150.0 + (m % 7)));
        }
        out.write("</HealthData>\n");
        out.flush();
    }

    private static void record(Writer out, String type, String sourceName, String device, String unit,
            String creation, String start, String end, String value) throws IOException {
        out.write(" <Record type=\"");
        out.write(type);
        out.write("\" sourceName=\"");
        out.write(sourceName);
        out.write("\" sourceVersion=\"9.3.1\"");
        if (device != null) {
            out.write(" device=\"");
            out.write(device);
            out.write('"');
        }
        out.write(" unit=\"");
        out.write(unit);
        out.write("\" creationDate=\"");
        out.write(creation);
        out.write("\" startDate=\"");
        out.write(start);
        out.write("\" endDate=\"");
        out.write(end);
        out.write("\" value=\"");
        out.write(value);
        out.write("\"/>\n");
    }

    /** Lets the zip entry stay open after the writer is flushed. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
