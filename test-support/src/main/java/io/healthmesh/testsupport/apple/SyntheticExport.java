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
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
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
 *
 * <p>The {@code realistic*} methods write another mix, by days, shaped like a Watch wearer's
 * multi-year export (the import benchmark's file): per day about 1,900 Records, dominated as real
 * exports are by heart rate (each with its motion-context MetadataEntry), active and basal energy,
 * step counts and walking distance from Watch and iPhone; with stand hours, exercise minutes,
 * flights, resting and walking heart rate, HRV with its beat-to-beat list, respiratory rate and
 * SpO2, a night of sleep stages (HKTimeZone metadata) and the phone's in-bed interval, a weight,
 * types the importer does not map (audio exposure, walking speed), a workout on six days of seven
 * (metadata, events, a WorkoutActivity, WorkoutStatistics, a route) and an ActivitySummary.
 * The counts are exact ({@link #realisticRecordsFor}); values and times vary deterministically.
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

    // ------------------------------------------------------------------------------------------
    // The realistic mix (by days)

    /** Record elements of {@code days} days of the realistic mix. */
    public static long realisticRecordsFor(long days) {
        return days * Realistic.RECORDS_PER_DAY + realisticWorkoutsFor(days) * Realistic.EXTRA_RECORDS_PER_WORKOUT_DAY;
    }

    /** Workout elements: one on every day but each seventh. */
    public static long realisticWorkoutsFor(long days) {
        return days - days / 7;
    }

    /**
     * Every element directly under HealthData: ExportDate, Me, the Records, Workouts and one
     * ActivitySummary per day (what the importer counts as records read).
     */
    public static long realisticTopLevelElementsFor(long days) {
        return 2 + realisticRecordsFor(days) + realisticWorkoutsFor(days) + days;
    }

    /** The number of days whose realistic export is closest to {@code bytes} (measured on four weeks). */
    public static long realisticDaysFor(long bytes) {
        long sampleDays = 28;
        CountingStream counter = new CountingStream();
        try {
            writeRealistic(counter, sampleDays);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Math.max(1, Math.round((double) bytes * sampleDays / counter.count));
    }

    public static void writeRealisticXml(Path target, long days) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            writeRealistic(out, days);
        }
    }

    /** The realistic export written to a stream (left open). */
    public static void writeRealistic(OutputStream target, long days) throws IOException {
        Writer out = new BufferedWriter(new OutputStreamWriter(new NonClosing(target), StandardCharsets.UTF_8),
                1 << 20);
        new Realistic(out).write(days);
        out.flush();
    }

    /**
     * export.zip holding an existing export.xml as {@code apple_health_export/export.xml} (deflated,
     * the default level, as the phone writes it), via a temporary file next to the target.
     */
    public static void zipExport(Path exportXml, Path target) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
            zip.putNextEntry(new ZipEntry("apple_health_export/export.xml"));
            Files.copy(exportXml, zip);
            zip.closeEntry();
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes the realistic mix: Records grouped by type (each over all days), Workouts, ActivitySummaries. */
    private static final class Realistic {

        /** Records every day has (the sum of the per-day counts below). */
        static final long RECORDS_PER_DAY;
        /** Heart rate samples and exercise minutes during a workout. */
        static final long EXTRA_RECORDS_PER_WORKOUT_DAY;

        private static final int HR_BACKGROUND = 360;
        private static final int HR_WORKOUT = 240;
        private static final int STEP_INTERVALS = 72;
        private static final int ACTIVE_ENERGY = 480;
        private static final int BASAL_ENERGY = 360;
        private static final int FLIGHTS = 8;
        private static final int EXERCISE_WALKING = 10;
        private static final int EXERCISE_WORKOUT = 40;
        private static final int STAND_HOURS = 16;
        private static final int HRV = 4;
        private static final int HRV_BEATS = 60;
        private static final int RESPIRATORY = 24;
        private static final int SPO2 = 8;
        private static final int AUDIO = 48;
        private static final int WALKING_SPEED = 24;
        private static final int HEADPHONE = 8;
        private static final int SLEEP_STAGES = 24;

        static {
            RECORDS_PER_DAY = HR_BACKGROUND + 2L * STEP_INTERVALS /* steps */ + 2L * STEP_INTERVALS /* distance */
                    + ACTIVE_ENERGY + BASAL_ENERGY + FLIGHTS + EXERCISE_WALKING + STAND_HOURS + 1 /* resting */
                    + 1 /* walking average */ + HRV + RESPIRATORY + SPO2 + AUDIO + WALKING_SPEED + HEADPHONE
                    + SLEEP_STAGES + 1 /* in bed */ + 1 /* body mass */;
            EXTRA_RECORDS_PER_WORKOUT_DAY = HR_WORKOUT + EXERCISE_WORKOUT;
        }

        private static final long FIRST_DAY = LocalDate.of(2018, 1, 1).toEpochDay();
        private static final String OFFSET = "+0100";
        private static final String ZONE = "Europe/Berlin";
        private static final String WATCH_NAME = "Maya’s Apple Watch";
        private static final String PHONE_NAME = "Maya’s iPhone";
        private static final String WATCH_VERSION = "10.3";
        private static final String PHONE_VERSION = "17.3";
        private static final String R_WATCH = "&lt;&lt;HKDevice: 0x283735e00&gt;, name:Apple Watch, manufacturer:Apple Inc.,"
                + " model:Watch, hardware:Watch6,2, software:10.3&gt;";
        private static final String R_PHONE = "&lt;&lt;HKDevice: 0x2813a1f40&gt;, name:iPhone, manufacturer:Apple Inc.,"
                + " model:iPhone, hardware:iPhone14,5, software:17.3&gt;";
        private static final String Q = "HKQuantityTypeIdentifier";
        private static final String C = "HKCategoryTypeIdentifier";
        private static final String[] WORKOUTS = {"Running", "Walking", "Cycling", "HighIntensityIntervalTraining",
            "TraditionalStrengthTraining"};
        private static final int WORKOUT_SECONDS = 2400;

        private final Writer out;
        private final char[] time = new char[25];
        private long timeDay = Long.MIN_VALUE;
        private final StringBuilder number = new StringBuilder(24);

        Realistic(Writer out) {
            this.out = out;
            time[10] = ' ';
            time[13] = ':';
            time[16] = ':';
            time[19] = ' ';
            OFFSET.getChars(0, 5, time, 20);
        }

        void write(long days) throws IOException {
            out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE HealthData [\n"
                    + "<!-- HealthKit Export Version: 14 -->\n"
                    + "<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord"
                    + "|Audiogram|VisionPrescription)*)>\n<!ATTLIST HealthData\n  locale CDATA #REQUIRED\n>\n"
                    + "<!ELEMENT ExportDate EMPTY>\n<!ATTLIST ExportDate\n  value CDATA #REQUIRED\n>\n"
                    + "<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>\n<!ATTLIST Record\n"
                    + "  type          CDATA #REQUIRED\n  unit          CDATA #IMPLIED\n  value         CDATA #IMPLIED\n"
                    + "  sourceName    CDATA #REQUIRED\n  sourceVersion CDATA #IMPLIED\n  device        CDATA #IMPLIED\n"
                    + "  creationDate  CDATA #IMPLIED\n  startDate     CDATA #REQUIRED\n  endDate       CDATA #REQUIRED\n>\n"
                    + "<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>\n"
                    + "<!ELEMENT WorkoutActivity ((WorkoutEvent|WorkoutStatistics|MetadataEntry)*)>\n"
                    + "<!ELEMENT ActivitySummary EMPTY>\n]>\n<HealthData locale=\"en_US\">\n");
            out.write(" <ExportDate value=\"");
            time(wall(days, 21 * 3600 + 4 * 60 + 11));
            out.write("\"/>\n <Me HKCharacteristicTypeIdentifierDateOfBirth=\"1988-06-14\""
                    + " HKCharacteristicTypeIdentifierBiologicalSex=\"HKBiologicalSexFemale\""
                    + " HKCharacteristicTypeIdentifierBloodType=\"HKBloodTypeNotSet\""
                    + " HKCharacteristicTypeIdentifierFitzpatrickSkinType=\"HKFitzpatrickSkinTypeNotSet\""
                    + " HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse=\"None\"/>\n");
            for (long d = 0; d < days; d++) {
                heartRate(d);
            }
            for (long d = 0; d < days; d++) {
                stepsOrDistance(d, true);
            }
            for (long d = 0; d < days; d++) {
                stepsOrDistance(d, false);
            }
            for (long d = 0; d < days; d++) {
                activeEnergy(d);
            }
            for (long d = 0; d < days; d++) {
                basalEnergy(d);
            }
            for (long d = 0; d < days; d++) {
                flights(d);
            }
            for (long d = 0; d < days; d++) {
                exerciseTime(d);
            }
            for (long d = 0; d < days; d++) {
                standHours(d);
            }
            for (long d = 0; d < days; d++) {
                dailyHeart(d);
            }
            for (long d = 0; d < days; d++) {
                hrv(d);
            }
            for (long d = 0; d < days; d++) {
                nightVitals(d);
            }
            for (long d = 0; d < days; d++) {
                unmapped(d);
            }
            for (long d = 0; d < days; d++) {
                sleep(d);
            }
            for (long d = 0; d < days; d++) {
                bodyMass(d);
            }
            for (long d = 0; d < days; d++) {
                if (workoutDay(d)) {
                    workout(d);
                }
            }
            for (long d = 0; d < days; d++) {
                activitySummary(d);
            }
            out.write("</HealthData>\n");
        }

        // ---- Records, one method per type group, one day each ----

        private void heartRate(long d) throws IOException {
            for (int i = 0; i < HR_BACKGROUND; i++) {
                long at = wall(d, i * 240L + rnd(d, i, 1) % 60);
                int bpm = (int) (i < 90 ? 50 + rnd(d, i, 2) % 15 : 60 + rnd(d, i, 2) % 35);
                open(Q + "HeartRate", WATCH_NAME, WATCH_VERSION, R_WATCH, "count/min", at + 30 + rnd(d, i, 3) % 300, at,
                        at);
                value(Integer.toString(bpm));
                out.write(">\n");
                metadataChild("HKMetadataKeyHeartRateMotionContext", i < 90 ? "0" : "1");
                out.write(" </Record>\n");
            }
            if (workoutDay(d)) {
                long start = workoutStart(d);
                for (int k = 0; k < HR_WORKOUT; k++) {
                    long at = start + k * 10L + 3;
                    open(Q + "HeartRate", WATCH_NAME, WATCH_VERSION, R_WATCH, "count/min", start + WORKOUT_SECONDS + 20,
                            at, at);
                    value(Integer.toString((int) (115 + rnd(d, k, 4) % 55)));
                    out.write(">\n");
                    metadataChild("HKMetadataKeyHeartRateMotionContext", "2");
                    out.write(" </Record>\n");
                }
            }
        }

        private void stepsOrDistance(long d, boolean steps) throws IOException {
            for (int device = 0; device < 2; device++) {
                boolean watch = device == 0;
                for (int i = 0; i < STEP_INTERVALS; i++) {
                    long start = wall(d, 7 * 3600 + i * 600L + (watch ? 0 : 180) + rnd(d, i, 10 + device) % 60);
                    long end = start + 300 + rnd(d, i, 12 + device) % 240;
                    long count = rnd(d, i, 14 + device) % 1200;
                    if (steps) {
                        open(Q + "StepCount", watch ? WATCH_NAME : PHONE_NAME, watch ? WATCH_VERSION : PHONE_VERSION,
                                watch ? R_WATCH : R_PHONE, "count", end + 60 + rnd(d, i, 16) % 540, start, end);
                        value(Long.toString(count));
                    } else {
                        open(Q + "DistanceWalkingRunning", watch ? WATCH_NAME : PHONE_NAME,
                                watch ? WATCH_VERSION : PHONE_VERSION, watch ? R_WATCH : R_PHONE, "km",
                                end + 60 + rnd(d, i, 16) % 540, start, end);
                        value(fixed(count * 72 + rnd(d, i, 17) % 100, 5));
                    }
                    out.write("/>\n");
                }
            }
        }

        private void activeEnergy(long d) throws IOException {
            for (int i = 0; i < ACTIVE_ENERGY; i++) {
                long start = wall(d, 6 * 3600 + i * 120L + rnd(d, i, 20) % 30);
                long end = start + 60 + rnd(d, i, 21) % 50;
                open(Q + "ActiveEnergyBurned", WATCH_NAME, WATCH_VERSION, R_WATCH, "Cal", end + 5 + rnd(d, i, 22) % 300,
                        start, end);
                value(fixed(50 + rnd(d, i, 23) % 6000, 3));
                out.write("/>\n");
            }
        }

        private void basalEnergy(long d) throws IOException {
            for (int i = 0; i < BASAL_ENERGY; i++) {
                long start = wall(d, i * 240L + rnd(d, i, 30) % 20);
                long end = start + 200 + rnd(d, i, 31) % 20;
                open(Q + "BasalEnergyBurned", WATCH_NAME, WATCH_VERSION, R_WATCH, "Cal", end + 5 + rnd(d, i, 32) % 600,
                        start, end);
                value(fixed(1000 + rnd(d, i, 33) % 3000, 3));
                out.write("/>\n");
            }
        }

        private void flights(long d) throws IOException {
            for (int i = 0; i < FLIGHTS; i++) {
                long start = wall(d, 8 * 3600 + i * 5400L + rnd(d, i, 40) % 600);
                long end = start + 30 + rnd(d, i, 41) % 90;
                open(Q + "FlightsClimbed", PHONE_NAME, PHONE_VERSION, R_PHONE, "count", end + 60, start, end);
                value(Long.toString(1 + rnd(d, i, 42) % 4));
                out.write("/>\n");
            }
        }

        private void exerciseTime(long d) throws IOException {
            for (int i = 0; i < EXERCISE_WALKING; i++) {
                long start = wall(d, 12 * 3600 + i * 60L);
                open(Q + "AppleExerciseTime", WATCH_NAME, WATCH_VERSION, R_WATCH, "min", start + 90, start, start + 60);
                value("1");
                out.write("/>\n");
            }
            if (workoutDay(d)) {
                long workout = workoutStart(d);
                for (int i = 0; i < EXERCISE_WORKOUT; i++) {
                    long start = workout + i * 60L;
                    open(Q + "AppleExerciseTime", WATCH_NAME, WATCH_VERSION, R_WATCH, "min", start + 75, start,
                            start + 60);
                    value("1");
                    out.write("/>\n");
                }
            }
        }

        private void standHours(long d) throws IOException {
            for (int i = 0; i < STAND_HOURS; i++) {
                int hour = 7 + i;
                long start = wall(d, hour * 3600L);
                open(C + "AppleStandHour", WATCH_NAME, WATCH_VERSION, R_WATCH, null, start + 3600 + 30, start,
                        start + 3600);
                value(hour % 5 == 0 ? "HKCategoryValueAppleStandHourIdle" : "HKCategoryValueAppleStandHourStood");
                out.write("/>\n");
            }
        }

        private void dailyHeart(long d) throws IOException {
            long start = wall(d, 120);
            long end = wall(d, 23 * 3600 + 55 * 60);
            open(Q + "RestingHeartRate", WATCH_NAME, WATCH_VERSION, R_WATCH, "count/min", end + 120, start, end);
            value(Long.toString(50 + rnd(d, 0, 50) % 10));
            out.write("/>\n");
            open(Q + "WalkingHeartRateAverage", WATCH_NAME, WATCH_VERSION, R_WATCH, "count/min", end + 130, start + 1800,
                    end);
            value(Long.toString(90 + rnd(d, 0, 51) % 20));
            out.write("/>\n");
        }

        private void hrv(long d) throws IOException {
            for (int i = 0; i < HRV; i++) {
                int secondOfDay = 2 * 3600 + i * 6 * 3600 + (int) (rnd(d, i, 60) % 600);
                long start = wall(d, secondOfDay);
                open(Q + "HeartRateVariabilitySDNN", WATCH_NAME, WATCH_VERSION, R_WATCH, "ms", start + 63, start,
                        start + 60);
                value(fixed(200_000 + rnd(d, i, 61) % 600_000, 4));
                out.write(">\n  <HeartRateVariabilityMetadataList>\n");
                int centis = secondOfDay * 100;
                for (int b = 0; b < HRV_BEATS; b++) {
                    centis += 85 + (int) (rnd(d, i * 100 + b, 62) % 30);
                    out.write("   <InstantaneousBeatsPerMinute bpm=\"");
                    out.write(Long.toString(55 + rnd(d, i * 100 + b, 63) % 20));
                    out.write("\" time=\"");
                    clockTime(centis);
                    out.write("\"/>\n");
                }
                out.write("  </HeartRateVariabilityMetadataList>\n </Record>\n");
            }
        }

        private void nightVitals(long d) throws IOException {
            for (int i = 0; i < RESPIRATORY; i++) {
                long start = wall(d, i * 900L + rnd(d, i, 70) % 60);
                open(Q + "RespiratoryRate", WATCH_NAME, WATCH_VERSION, R_WATCH, "count/min", start + 7 * 3600, start,
                        start + 300);
                value(fixed(120 + rnd(d, i, 71) % 60, 1));
                out.write("/>\n");
            }
            for (int i = 0; i < SPO2; i++) {
                long at = wall(d, 1800 + i * 2700L + rnd(d, i, 72) % 60);
                open(Q + "OxygenSaturation", WATCH_NAME, WATCH_VERSION, R_WATCH, "%", at + 40, at, at);
                value(fixed(93 + rnd(d, i, 73) % 7, 2));
                out.write("/>\n");
            }
        }

        /** Types the importer does not map (skipped as such): they are in every Watch wearer's export. */
        private void unmapped(long d) throws IOException {
            for (int i = 0; i < AUDIO; i++) {
                long start = wall(d, 6 * 3600 + i * 1200L);
                open(Q + "EnvironmentalAudioExposure", WATCH_NAME, WATCH_VERSION, R_WATCH, "dBASPL", start + 1860, start,
                        start + 1800);
                value(fixed(4_500_000 + rnd(d, i, 80) % 3_500_000, 5));
                out.write("/>\n");
            }
            for (int i = 0; i < WALKING_SPEED; i++) {
                long start = wall(d, 7 * 3600 + i * 1800L + rnd(d, i, 81) % 300);
                open(Q + "WalkingSpeed", PHONE_NAME, PHONE_VERSION, R_PHONE, "km/hr", start + 30, start, start + 20);
                value(fixed(300 + rnd(d, i, 82) % 250, 2));
                out.write("/>\n");
            }
            for (int i = 0; i < HEADPHONE; i++) {
                long start = wall(d, 8 * 3600 + i * 3600L);
                open(Q + "HeadphoneAudioExposure", PHONE_NAME, PHONE_VERSION, R_PHONE, "dBASPL", start + 1900, start,
                        start + 1800);
                value(fixed(6_000_000 + rnd(d, i, 83) % 2_000_000, 5));
                out.write("/>\n");
            }
        }

        /** The night starting on day d: the Watch's stages (20-minute slices) and the phone's in-bed interval. */
        private void sleep(long d) throws IOException {
            long asleep = wall(d, 23 * 3600 + rnd(d, 0, 90) % 1200);
            long awake = asleep + SLEEP_STAGES * 1200L;
            for (int i = 0; i < SLEEP_STAGES; i++) {
                long start = asleep + i * 1200L;
                open(C + "SleepAnalysis", WATCH_NAME, WATCH_VERSION, R_WATCH, null, awake + 300, start, start + 1200);
                value("HKCategoryValueSleepAnalysis" + switch (i % 6) {
                    case 1 -> "AsleepDeep";
                    case 3 -> "AsleepREM";
                    case 5 -> i % 12 == 11 ? "Awake" : "AsleepREM";
                    default -> "AsleepCore";
                });
                out.write(">\n");
                metadataChild("HKTimeZone", ZONE);
                out.write(" </Record>\n");
            }
            open(C + "SleepAnalysis", PHONE_NAME, PHONE_VERSION, R_PHONE, null, awake + 600, asleep - 600, awake + 300);
            value("HKCategoryValueSleepAnalysisInBed");
            out.write("/>\n");
        }

        private void bodyMass(long d) throws IOException {
            long at = wall(d, 7 * 3600 + 600 + rnd(d, 0, 100) % 600);
            open(Q + "BodyMass", "Health Mate", "6.4.0", null, "kg", at + 30, at, at);
            value(fixed(6000 + rnd(d, 0, 101) % 300, 2));
            out.write("/>\n");
        }

        // ---- Workouts and activity summaries ----

        private void workout(long d) throws IOException {
            String activity = WORKOUTS[(int) (d % WORKOUTS.length)];
            boolean distance = !activity.endsWith("Training");
            String distanceType = "Cycling".equals(activity) ? "DistanceCycling" : "DistanceWalkingRunning";
            long start = workoutStart(d);
            long end = start + WORKOUT_SECONDS;
            out.write(" <Workout workoutActivityType=\"HKWorkoutActivityType");
            out.write(activity);
            out.write("\" duration=\"40\" durationUnit=\"min\" sourceName=\"");
            out.write(WATCH_NAME);
            out.write("\" sourceVersion=\"10.3\" device=\"");
            out.write(R_WATCH);
            out.write('"');
            dates(end + 10, start, end);
            out.write(">\n");
            metadataChild("HKIndoorWorkout", distance ? "0" : "1");
            metadataChild("HKTimeZone", ZONE);
            metadataChild("HKAverageMETs", fixed(60_000 + rnd(d, 0, 110) % 50_000, 4) + " kcal/hr·kg");
            metadataChild("HKWeatherTemperature", (40 + rnd(d, 0, 111) % 45) + " degF");
            metadataChild("HKWeatherHumidity", (3000 + rnd(d, 0, 112) % 6000) + " %");
            for (int segment = 0; segment < 2; segment++) {
                out.write("  <WorkoutEvent type=\"HKWorkoutEventTypeSegment\" date=\"");
                time(start + segment * 1200L);
                out.write("\" duration=\"20\" durationUnit=\"min\"/>\n");
            }
            long energy = 250_000 + rnd(d, 0, 113) % 250_000;
            long meters = 5_000 + rnd(d, 0, 114) % 5_000;
            out.write("  <WorkoutActivity uuid=\"");
            out.write(new java.util.UUID(0x5B1F6C0E3C4B4A57L + d, 0x9E8C2E1F0A7B9C11L ^ d).toString().toUpperCase(Locale.ROOT));
            out.write('"');
            dates(-1, start, end);
            out.write(" duration=\"40\" durationUnit=\"min\">\n");
            statistics("   ", "ActiveEnergyBurned", start, end, fixed(energy, 3), null, "Cal");
            if (distance) {
                statistics("   ", distanceType, start, end, fixed(meters, 3), null, "km");
            }
            statistics("   ", "HeartRate", start, end, null, "151.2\" minimum=\"97\" maximum=\"171", "count/min");
            out.write("  </WorkoutActivity>\n");
            statistics("  ", "ActiveEnergyBurned", start, end, fixed(energy, 3), null, "Cal");
            if (distance) {
                statistics("  ", distanceType, start, end, fixed(meters, 3), null, "km");
            }
            statistics("  ", "BasalEnergyBurned", start, end, fixed(40_000 + rnd(d, 0, 115) % 20_000, 3), null, "Cal");
            statistics("  ", "HeartRate", start, end, null, "151.2\" minimum=\"97\" maximum=\"171", "count/min");
            if (distance) {
                statistics("  ", "StepCount", start, end, Long.toString(meters * 13 / 10), null, "count");
                out.write("  <WorkoutRoute sourceName=\"");
                out.write(WATCH_NAME);
                out.write("\" sourceVersion=\"10.3\"");
                dates(end + 12, start + 1, end - 1);
                out.write(">\n");
                metadataChild("HKMetadataKeySyncVersion", "2");
                out.write("   <FileReference path=\"/workout-routes/route_");
                out.write(LocalDate.ofEpochDay(FIRST_DAY + d).toString());
                out.write("_6.");
                out.write(Long.toString(10 + d % 50));
                out.write("pm.gpx\"/>\n  </WorkoutRoute>\n");
            }
            out.write(" </Workout>\n");
        }

        private void statistics(String indent, String type, long start, long end, String sum, String average,
                String unit) throws IOException {
            out.write(indent);
            out.write("<WorkoutStatistics type=\"HKQuantityTypeIdentifier");
            out.write(type);
            out.write('"');
            dates(-1, start, end);
            if (sum != null) {
                out.write(" sum=\"");
                out.write(sum);
                out.write('"');
            }
            if (average != null) {
                out.write(" average=\"");
                out.write(average);
                out.write('"');
            }
            out.write(" unit=\"");
            out.write(unit);
            out.write("\"/>\n");
        }

        private void activitySummary(long d) throws IOException {
            out.write(" <ActivitySummary dateComponents=\"");
            out.write(LocalDate.ofEpochDay(FIRST_DAY + d).toString());
            out.write("\" activeEnergyBurned=\"");
            out.write(fixed(300_000 + rnd(d, 0, 120) % 500_000, 3));
            out.write("\" activeEnergyBurnedGoal=\"550\" activeEnergyBurnedUnit=\"Cal\" appleMoveTime=\"0\""
                    + " appleMoveTimeGoal=\"0\" appleExerciseTime=\"");
            out.write(Long.toString(workoutDay(d) ? 50 : 10));
            out.write("\" appleExerciseTimeGoal=\"30\" appleStandHours=\"");
            out.write(Long.toString(STAND_HOURS - 3));
            out.write("\" appleStandHoursGoal=\"12\"/>\n");
        }

        // ---- Writing helpers ----

        /** A Record's start tag up to its value attribute (left open). */
        private void open(String type, String sourceName, String version, String device, String unit, long creation,
                long start, long end) throws IOException {
            out.write(" <Record type=\"");
            out.write(type);
            out.write("\" sourceName=\"");
            out.write(sourceName);
            out.write("\" sourceVersion=\"");
            out.write(version);
            out.write('"');
            if (device != null) {
                out.write(" device=\"");
                out.write(device);
                out.write('"');
            }
            if (unit != null) {
                out.write(" unit=\"");
                out.write(unit);
                out.write('"');
            }
            dates(creation, start, end);
        }

        private void value(String value) throws IOException {
            out.write(" value=\"");
            out.write(value);
            out.write('"');
        }

        private void metadataChild(String key, String value) throws IOException {
            out.write("  <MetadataEntry key=\"");
            out.write(key);
            out.write("\" value=\"");
            out.write(value);
            out.write("\"/>\n");
        }

        /** creationDate (when not negative), startDate and endDate attributes. */
        private void dates(long creation, long start, long end) throws IOException {
            if (creation >= 0) {
                out.write(" creationDate=\"");
                time(creation);
                out.write('"');
            }
            out.write(" startDate=\"");
            time(start);
            out.write("\" endDate=\"");
            time(end);
            out.write('"');
        }

        /** Local wall-clock seconds (since 1970-01-01T00:00 of the export's offset) written as Apple does. */
        private void time(long wall) throws IOException {
            long day = Math.floorDiv(wall, 86_400);
            int second = (int) Math.floorMod(wall, 86_400);
            if (day != timeDay) {
                timeDay = day;
                LocalDate date = LocalDate.ofEpochDay(day);
                digits(date.getYear(), 0, 4);
                time[4] = '-';
                digits(date.getMonthValue(), 5, 2);
                time[7] = '-';
                digits(date.getDayOfMonth(), 8, 2);
            }
            digits(second / 3600, 11, 2);
            digits(second / 60 % 60, 14, 2);
            digits(second % 60, 17, 2);
            out.write(time, 0, time.length);
        }

        /** {@code h:mm:ss.SS AM} of the beat-to-beat list. */
        private void clockTime(int centisOfDay) throws IOException {
            int seconds = centisOfDay / 100 % 86_400;
            int hour = seconds / 3600;
            int hour12 = hour % 12 == 0 ? 12 : hour % 12;
            number.setLength(0);
            number.append(hour12).append(':');
            two(seconds / 60 % 60);
            number.append(':');
            two(seconds % 60);
            number.append('.');
            two(centisOfDay % 100);
            number.append(hour < 12 ? " AM" : " PM");
            out.write(number.toString());
        }

        private void two(int value) {
            if (value < 10) {
                number.append('0');
            }
            number.append(value);
        }

        private void digits(int value, int at, int count) {
            for (int i = at + count - 1; i >= at; i--) {
                time[i] = (char) ('0' + value % 10);
                value /= 10;
            }
        }

        /** {@code scaled / 10^decimals} with exactly that many decimals. */
        private String fixed(long scaled, int decimals) {
            number.setLength(0);
            long unit = 1;
            for (int i = 0; i < decimals; i++) {
                unit *= 10;
            }
            number.append(scaled / unit);
            if (decimals > 0) {
                number.append('.');
                String fraction = Long.toString(scaled % unit);
                for (int i = fraction.length(); i < decimals; i++) {
                    number.append('0');
                }
                number.append(fraction);
            }
            return number.toString();
        }

        private static long wall(long day, long secondOfDay) {
            return (FIRST_DAY + day) * 86_400 + secondOfDay;
        }

        private static boolean workoutDay(long d) {
            return d % 7 != 6;
        }

        private static long workoutStart(long d) {
            return wall(d, 18 * 3600 + (d % 5) * 420);
        }

        /** A deterministic non-negative pseudo-random number per (day, index, salt) (SplitMix64's finalizer). */
        private static long rnd(long day, long index, long salt) {
            long z = day * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + salt * 0x94D049BB133111EBL;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return (z ^ (z >>> 31)) >>> 1;
        }
    }

    /** Counts bytes and drops them (sizing the realistic mix). */
    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
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
