package io.healthmesh.imports.apple;

import static io.healthmesh.imports.apple.Fixtures.EVERY_KIND;
import static io.healthmesh.imports.apple.Fixtures.JOB;
import static io.healthmesh.imports.apple.Fixtures.LOS_ANGELES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.HeartRateStats;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.event.SleepStageInterval;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.contracts.vocab.Conversion;
import io.healthmesh.contracts.vocab.Units;
import io.healthmesh.contracts.vocab.Vocabulary;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AppleExportParserTest {

    private static final String WATCH_APP = "Maya’s Apple Watch ⌚";
    private static final String WATCH_DEVICE_RAW = "<<HKDevice: 0x283735e00>, name:Apple Watch, manufacturer:Apple Inc., "
            + "model:Watch, hardware:Watch6,2, software:10.3>";
    private static final String WATCH_DEVICE = "name:Apple Watch, manufacturer:Apple Inc., model:Watch, "
            + "hardware:Watch6,2, software:10.3";
    private static final String PHONE_DEVICE_RAW = "<<HKDevice: 0x2813a1f40>, name:iPhone, manufacturer:Apple Inc., "
            + "model:iPhone, hardware:iPhone14,5, software:17.3>";

    private static Fixtures.Parsed everyKind;
    private static CollectingHandler out;

    @BeforeAll
    static void parseEveryKind() {
        everyKind = Fixtures.parse(EVERY_KIND, LOS_ANGELES);
        out = everyKind.handler();
    }

    @Test
    void countsEveryElementAndEverySkipByReason() {
        ParseSummary summary = everyKind.summary();

        assertThat(summary.recordsRead()).isEqualTo(75);
        assertThat(summary.readings()).isEqualTo(40).isEqualTo(out.readings.size());
        assertThat(summary.sessions()).isEqualTo(9).isEqualTo(out.sessions.size());
        assertThat(summary.skippedByReason()).containsExactly(
                entry(SkipReason.AUDIOGRAM, 1L),
                entry(SkipReason.CLINICAL_RECORD, 1L),
                entry(SkipReason.EXPORT_DATE, 1L),
                entry(SkipReason.ME, 1L),
                entry(SkipReason.VISION_PRESCRIPTION, 1L),
                entry(SkipReason.CORRELATION, 2L),
                entry(SkipReason.EMPTY_ACTIVITY_SUMMARY, 2L),
                entry(SkipReason.END_BEFORE_START, 1L),
                entry(SkipReason.INSIDE_CORRELATION, 4L),
                entry(SkipReason.MISSING_VALUE, 1L),
                entry(SkipReason.STAND_HOUR_IDLE, 1L),
                entry(SkipReason.UNIT_DOES_NOT_FIT, 1L),
                entry(SkipReason.UNKNOWN_CATEGORY_VALUE, 1L),
                entry(SkipReason.UNKNOWN_ELEMENT, 1L),
                entry(SkipReason.UNKNOWN_UNIT, 1L),
                entry("unmapped type: HKCategoryTypeIdentifierHandwashingEvent", 1L),
                entry("unmapped type: HKDataTypeSleepDurationGoal", 1L),
                entry("unmapped type: HKQuantityTypeIdentifierRunningPower", 1L),
                entry("unmapped type: HKQuantityTypeIdentifierWalkingDoubleSupportPercentage", 1L),
                entry(SkipReason.UNPARSEABLE_DATE, 1L),
                entry(SkipReason.UNPARSEABLE_VALUE, 1L),
                // A heart rate "72,5" and an ActivitySummary's "512,3".
                entry(SkipReason.DECIMAL_COMMA, 2L));
        assertThat(out.skipped).isEqualTo(summary.skippedByReason());
    }

    @Test
    void readingsPerMetric() {
        Map<String, Integer> expected = Map.ofEntries(
                Map.entry("steps", 3), Map.entry("distance", 2), Map.entry("floors", 1),
                Map.entry("active_energy", 2), Map.entry("basal_energy", 1), Map.entry("exercise_time", 3),
                Map.entry("stand_hours", 3), Map.entry("heart_rate", 1), Map.entry("resting_heart_rate", 1),
                Map.entry("walking_heart_rate_average", 1), Map.entry("hrv_sdnn", 1),
                Map.entry("blood_pressure_systolic", 1), Map.entry("blood_pressure_diastolic", 1),
                Map.entry("vo2_max", 1), Map.entry("oxygen_saturation", 1), Map.entry("respiratory_rate", 1),
                Map.entry("body_temperature", 2), Map.entry("skin_temperature", 1), Map.entry("blood_glucose", 2),
                Map.entry("body_mass", 1), Map.entry("lean_body_mass", 1), Map.entry("body_fat_percentage", 1),
                Map.entry("bmi", 1), Map.entry("height", 1), Map.entry("dietary_energy", 1),
                Map.entry("protein", 1), Map.entry("carbohydrate", 1), Map.entry("sodium", 1),
                Map.entry("water", 1), Map.entry("caffeine", 1));
        expected.forEach((metric, count) -> assertThat(out.readings(metric)).as(metric).hasSize(count));
        assertThat(expected.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(out.readings.size());
    }

    @Test
    void unitsAreSentAsFoundExceptFractionPercent() {
        Reading weight = only("body_mass");
        assertThat(weight.value()).isEqualTo(141.317);
        assertThat(weight.unit()).isEqualTo("lb");
        assertThat(Conversion.toCanonical(Vocabulary.metric("body_mass").orElseThrow(), weight.value(), weight.unit()))
                .isCloseTo(64.1, within(0.001));

        Reading spo2 = only("oxygen_saturation");
        assertThat(spo2.value()).isEqualTo(0.97);
        assertThat(spo2.unit()).isEqualTo(Units.FRACTION);
        Reading bodyFat = only("body_fat_percentage");
        assertThat(bodyFat.value()).isEqualTo(0.243);
        assertThat(bodyFat.unit()).isEqualTo(Units.FRACTION);

        assertThat(out.readings("blood_glucose")).extracting(Reading::value, Reading::unit).containsExactly(
                org.assertj.core.groups.Tuple.tuple(92.0, "mg/dL"),
                org.assertj.core.groups.Tuple.tuple(5.4, "mmol<180.15588000005408>/L"));
        assertThat(out.readings("distance")).extracting(Reading::unit).containsExactly("mi", "km");
        assertThat(out.readings("body_temperature")).extracting(Reading::unit).containsExactly("degF", "degC");
        assertThat(out.readings("basal_energy")).extracting(Reading::unit).containsExactly("kJ");
        assertThat(only("vo2_max").unit()).isEqualTo("mL/min·kg");
        assertThat(only("height").unit()).isEqualTo("ft");
        assertThat(only("bmi").unit()).isEqualTo("count");

        for (Reading reading : out.readings) {
            assertThat(Units.canonicalUnitCode(reading.unit())).as(reading.unit()).isPresent();
        }
    }

    @Test
    void aggregationFollowsTheMapping() {
        assertThat(out.readings("steps")).extracting(Reading::aggregation).containsOnly(Aggregation.CUMULATIVE);
        assertThat(out.readings("dietary_energy")).extracting(Reading::aggregation).containsOnly(Aggregation.CUMULATIVE);
        assertThat(only("heart_rate").aggregation()).isEqualTo(Aggregation.SAMPLE);
        assertThat(only("body_mass").aggregation()).isEqualTo(Aggregation.SAMPLE);
        for (Reading reading : out.readings) {
            assertThat(reading.localDate() != null).as(reading.metric())
                    .isEqualTo(reading.aggregation() == Aggregation.DAILY);
        }
    }

    @Test
    void dailyValuesAreDatedInTheRecordsZoneNotItsStaleOffset() {
        // Written 2024-03-11 23:30 -0800 (the offset at export time); HKTimeZone makes it 00:30 PDT on the 12th.
        Reading resting = only("resting_heart_rate");
        assertThat(resting.aggregation()).isEqualTo(Aggregation.DAILY);
        assertThat(resting.start()).isEqualTo(OffsetDateTime.parse("2024-03-11T23:30:00-08:00"));
        assertThat(resting.start().getOffset().getId()).isEqualTo("-08:00");
        assertThat(resting.zone()).isEqualTo("America/Los_Angeles");
        assertThat(resting.localDate()).isEqualTo(LocalDate.of(2024, 3, 12));

        // An HKTimeZone that is no IANA zone gives way to the fallback zone: 00:30 UTC is the 11th in LA.
        Reading walking = only("walking_heart_rate_average");
        assertThat(walking.zone()).isEqualTo("America/Los_Angeles");
        assertThat(walking.localDate()).isEqualTo(LocalDate.of(2024, 3, 11));
    }

    @Test
    void metadataKeepsTimeZoneAndUserEntered() {
        Reading heartRate = only("heart_rate");
        assertThat(heartRate.zone()).isEqualTo("America/New_York");
        assertThat(heartRate.value()).isEqualTo(104.0);
        assertThat(heartRate.unit()).isEqualTo("count/min");
        assertThat(heartRate.userEntered()).isNull();

        assertThat(only("body_mass").userEntered()).isTrue();
        assertThat(out.readings("body_temperature").get(0).userEntered()).isFalse();
        assertThat(only("steps", "Maya’s iPhone").zone()).isEqualTo("America/Los_Angeles");
    }

    @Test
    void identityIsTheOneAPhonePushOfTheSameSampleGets() {
        Reading phoneSteps = only("steps", "Maya’s iPhone");
        assertThat(phoneSteps.sourceRecordId()).isEqualTo(Identity.appleSourceRecordId(
                "HKQuantityTypeIdentifierStepCount", "Maya’s iPhone", PHONE_DEVICE_RAW,
                OffsetDateTime.parse("2024-03-12T07:15:32-07:00"), OffsetDateTime.parse("2024-03-12T07:24:50-07:00"),
                OffsetDateTime.parse("2024-03-12T07:31:02-07:00")));
        assertThat(phoneSteps.device()).isEqualTo(Identity.normalizeAppleDevice(PHONE_DEVICE_RAW));
        assertThat(phoneSteps.app()).isEqualTo("Maya’s iPhone");

        Reading watchSteps = only("steps", WATCH_APP);
        assertThat(watchSteps.device()).isEqualTo(WATCH_DEVICE);
        assertThat(watchSteps.sourceRecordId()).isEqualTo(Identity.appleSourceRecordId(
                "HKQuantityTypeIdentifierStepCount", WATCH_APP, WATCH_DEVICE_RAW,
                OffsetDateTime.parse("2024-03-12T07:16:03-07:00"), OffsetDateTime.parse("2024-03-12T07:25:11-07:00"),
                OffsetDateTime.parse("2024-03-12T07:26:14-07:00")));

        List<String> ids = new ArrayList<>();
        out.readings.forEach(reading -> ids.add(reading.sourceRecordId() + "|" + reading.metric()));
        out.sessions.forEach(session -> ids.add(session.sourceRecordId()));
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(out.readings).allSatisfy(reading -> {
            assertThat(reading.importJobId()).isEqualTo(JOB);
            assertThat(reading.deleted()).isFalse();
        });
        assertThat(out.sessions).allSatisfy(session -> assertThat(session.importJobId()).isEqualTo(JOB));
    }

    @Test
    void datesKeepTheirWrittenOffsetAndOddFormatsStillParse() {
        Reading pedometer = only("steps", "Pedometer++");
        assertThat(pedometer.start()).isEqualTo(OffsetDateTime.parse("2024-03-12T08:00:00+01:00"));
        assertThat(pedometer.start().getOffset().getTotalSeconds()).isEqualTo(3600);
        assertThat(pedometer.device()).isNull();
    }

    @Test
    void correlationsDoNotDoubleCount() {
        assertThat(only("blood_pressure_systolic").value()).isEqualTo(121.0);
        assertThat(only("blood_pressure_diastolic").value()).isEqualTo(78.0);
        assertThat(only("blood_pressure_systolic").device())
                .isEqualTo("name:BPM Connect, manufacturer:Withings, model:BPM Connect, localIdentifier:00:24:e4:aa:bb:cc");
        assertThat(only("dietary_energy").value()).isEqualTo(250.0);
        assertThat(only("protein").value()).isEqualTo(12.0);
        assertThat(everyKind.summary().skipped(SkipReason.INSIDE_CORRELATION)).isEqualTo(4);
    }

    @Test
    void standHoursCountStoodHoursOnly() {
        Reading stood = out.readings("stand_hours").stream()
                .filter(reading -> reading.aggregation() == Aggregation.CUMULATIVE).findFirst().orElseThrow();
        assertThat(stood.value()).isEqualTo(1.0);
        assertThat(stood.unit()).isEqualTo("count");
        assertThat(stood.start()).isEqualTo(OffsetDateTime.parse("2024-03-12T07:00:00-07:00"));
        assertThat(stood.end()).isEqualTo(OffsetDateTime.parse("2024-03-12T08:00:00-07:00"));
        assertThat(everyKind.summary().skipped(SkipReason.STAND_HOUR_IDLE)).isEqualTo(1);
    }

    @Test
    void workoutDistanceComesFromWorkoutStatisticsNotAddedToItsActivity() {
        Session running = workout("running");
        assertThat(running.details().distanceMeters()).isCloseTo(3.1208 * 1609.344, within(1e-9));
        assertThat(running.details().energyKcal()).isEqualTo(318.42);
        assertThat(running.details().heartRate()).isEqualTo(new HeartRateStats(152.6, 97.0, 171.0));
        // The workout's own HKTimeZone, not its activity's nor its route's.
        assertThat(running.zone()).isEqualTo("America/Los_Angeles");
        assertThat(running.start()).isEqualTo(OffsetDateTime.parse("2024-03-12T18:01:40-07:00"));
        assertThat(running.end()).isEqualTo(OffsetDateTime.parse("2024-03-12T18:32:55-07:00"));
        assertThat(running.device()).isEqualTo(WATCH_DEVICE);
        assertThat(running.app()).isEqualTo(WATCH_APP);
        assertThat(running.sourceRecordId()).isEqualTo(Identity.appleSourceRecordId("HKWorkoutTypeIdentifier",
                WATCH_APP, WATCH_DEVICE_RAW, running.start(), running.end(),
                OffsetDateTime.parse("2024-03-12T18:33:05-07:00")));
    }

    @Test
    void workoutTotalsFallBackToAttributesThenToActivities() {
        Session cycling = workout("cycling");
        assertThat(cycling.details().distanceMeters()).isEqualTo(12_500.0);
        assertThat(cycling.details().energyKcal()).isCloseTo(400 / 4.184, within(1e-9));
        assertThat(cycling.details().heartRate()).isNull();

        Session triathlon = workout("swim_bike_run");
        assertThat(triathlon.details().distanceMeters()).isEqualTo(750 + 20_000 + 5_000.0);
        assertThat(triathlon.details().energyKcal()).isEqualTo(950.0);
        // Averages weighted by activity length: (130 x 10 + 140 x 40 + 150 x 25) / 75 minutes.
        assertThat(triathlon.details().heartRate().average()).isCloseTo(142.0, within(1e-9));
        assertThat(triathlon.details().heartRate().min()).isEqualTo(95.0);
        assertThat(triathlon.details().heartRate().max()).isEqualTo(178.0);

        Session strength = workout("traditional_strength_training");
        assertThat(strength.app()).isEqualTo("Strava");
        assertThat(strength.details().distanceMeters()).isNull();
        assertThat(strength.details().energyKcal()).isNull();
        assertThat(strength.zone()).isEqualTo("America/Los_Angeles");
    }

    @Test
    void sleepStagesBecomeOneSessionPerNightAndSource() {
        List<Session> watchSleep = sessions(SessionType.SLEEP, WATCH_APP);
        assertThat(watchSleep).hasSize(1);
        Session night = watchSleep.get(0);
        assertThat(night.start()).isEqualTo(OffsetDateTime.parse("2024-03-11T22:10:00-08:00"));
        assertThat(night.end()).isEqualTo(OffsetDateTime.parse("2024-03-12T05:40:00-08:00"));
        assertThat(night.zone()).isEqualTo("America/Los_Angeles");
        assertThat(night.device()).isEqualTo(WATCH_DEVICE);
        // The 30-minute hole stays inside the night; the exact repeat of the last stage is dropped.
        assertThat(night.details().stages()).extracting(SleepStageInterval::stage).containsExactly(
                SleepStage.LIGHT, SleepStage.DEEP, SleepStage.AWAKE, SleepStage.REM, SleepStage.LIGHT);
        assertThat(night.details().stages().get(2).start()).isEqualTo(OffsetDateTime.parse("2024-03-12T01:00:00-08:00"));
        assertThat(night.sourceRecordId()).isEqualTo(Identity.appleSourceRecordId(
                "HKCategoryTypeIdentifierSleepAnalysis|session", WATCH_APP, WATCH_DEVICE_RAW, night.start(), null, null));

        Session inBed = sessions(SessionType.SLEEP, "Maya’s iPhone").get(0);
        assertThat(inBed.details().stages()).extracting(SleepStageInterval::stage).containsExactly(SleepStage.IN_BED);

        Session nap = sessions(SessionType.NAP, WATCH_APP).get(0);
        assertThat(nap.start()).isEqualTo(OffsetDateTime.parse("2024-03-12T14:05:00-07:00"));
        assertThat(nap.details().stages()).extracting(SleepStageInterval::stage)
                .containsExactly(SleepStage.ASLEEP_UNSPECIFIED);

        // Pre-iOS 16 values: the number 0 and the name "Asleep".
        Session old = sessions(SessionType.SLEEP, "AutoSleep").get(0);
        assertThat(old.details().stages()).extracting(SleepStageInterval::stage)
                .containsExactly(SleepStage.IN_BED, SleepStage.ASLEEP_UNSPECIFIED);
        assertThat(old.zone()).isEqualTo("America/Los_Angeles");
        assertThat(old.device()).isNull();

        assertThat(out.sessions).filteredOn(session -> session.type() == SessionType.SLEEP).hasSize(3);
        assertThat(out.sessions).filteredOn(session -> session.type() == SessionType.NAP).hasSize(1);
    }

    @Test
    void aNightExportedHalfwayKeepsItsIdentity() throws Exception {
        String header = "<HealthData locale=\"en_US\">\n";
        String first = sleepRecord("2024-03-11 22:10:00 -0800", "2024-03-11 23:40:00 -0800", "AsleepCore");
        String second = sleepRecord("2024-03-11 23:40:00 -0800", "2024-03-12 00:30:00 -0800", "AsleepDeep");
        String third = sleepRecord("2024-03-12 00:30:00 -0800", "2024-03-12 05:40:00 -0800", "AsleepCore");

        Session midNight = onlySession(parseText(header + first + second + "</HealthData>"));
        Session morning = onlySession(parseText(header + first + second + third + "</HealthData>"));

        assertThat(morning.sourceRecordId()).isEqualTo(midNight.sourceRecordId());
        assertThat(morning.end()).isAfter(midNight.end());
    }

    @Test
    void mindfulSessionsAreSessions() {
        Session mindful = out.sessions.stream().filter(session -> session.type() == SessionType.MINDFULNESS)
                .findFirst().orElseThrow();
        assertThat(mindful.app()).isEqualTo("Headspace");
        assertThat(mindful.start()).isEqualTo(OffsetDateTime.parse("2024-03-12T21:00:00-07:00"));
        assertThat(mindful.end()).isEqualTo(OffsetDateTime.parse("2024-03-12T21:10:00-07:00"));
        assertThat(mindful.details()).isNull();
    }

    @Test
    void activitySummariesAreDailyValuesOfTheirOwn() {
        List<Reading> summaries = out.readings.stream()
                .filter(reading -> AppleExportParser.ACTIVITY_SUMMARY_APP.equals(reading.app())).toList();
        assertThat(summaries).extracting(Reading::metric, Reading::value, Reading::unit, Reading::localDate)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("active_energy", 642.118, "Cal", LocalDate.of(2024, 3, 12)),
                        org.assertj.core.groups.Tuple.tuple("exercise_time", 41.0, "min", LocalDate.of(2024, 3, 12)),
                        org.assertj.core.groups.Tuple.tuple("stand_hours", 12.0, "count", LocalDate.of(2024, 3, 12)),
                        // 2024-03-11: the energy has a decimal comma; a real zero stands beside a non-zero value.
                        org.assertj.core.groups.Tuple.tuple("exercise_time", 20.0, "min", LocalDate.of(2024, 3, 11)),
                        org.assertj.core.groups.Tuple.tuple("stand_hours", 0.0, "count", LocalDate.of(2024, 3, 11)));
        Reading energy = summaries.get(0);
        assertThat(energy.aggregation()).isEqualTo(Aggregation.DAILY);
        assertThat(energy.sourceRecordId()).isEqualTo("ActivitySummary|2024-03-12|activeEnergyBurned");
        assertThat(energy.start()).isEqualTo(OffsetDateTime.parse("2024-03-12T00:00:00-07:00"));
        assertThat(energy.end()).isEqualTo(OffsetDateTime.parse("2024-03-13T00:00:00-07:00"));
        assertThat(energy.zone()).isEqualTo("America/Los_Angeles");
        assertThat(energy.device()).isNull();
        // The samples they summarize are imported apart from them, never summed into them.
        assertThat(out.readings("active_energy")).filteredOn(reading -> reading.aggregation() == Aggregation.CUMULATIVE)
                .extracting(Reading::value).containsExactly(12.5);
    }

    @Test
    void withoutAFallbackZoneReadingsHaveNoZoneButStillADate() {
        Fixtures.Parsed parsed = Fixtures.parse(EVERY_KIND, null);
        CollectingHandler handler = parsed.handler();

        assertThat(parsed.summary().readings()).isEqualTo(everyKind.summary().readings());
        assertThat(parsed.summary().sessions()).isEqualTo(everyKind.summary().sessions());
        Reading phoneSteps = handler.readings.stream().filter(reading -> "Maya’s iPhone".equals(reading.app())
                && "steps".equals(reading.metric())).findFirst().orElseThrow();
        assertThat(phoneSteps.zone()).isNull();
        Reading walking = handler.readings("walking_heart_rate_average").get(0);
        assertThat(walking.zone()).isNull();
        assertThat(walking.localDate()).isEqualTo(LocalDate.of(2024, 3, 12));
        Reading summaryEnergy = handler.readings.stream()
                .filter(reading -> AppleExportParser.ACTIVITY_SUMMARY_APP.equals(reading.app())).findFirst().orElseThrow();
        assertThat(summaryEnergy.start()).isEqualTo(OffsetDateTime.parse("2024-03-12T00:00:00Z"));
        assertThat(summaryEnergy.zone()).isNull();
    }

    @Test
    void progressIsReadableFromTheHandler() throws Exception {
        List<Long> readingsSeen = new ArrayList<>();
        AppleExportParser parser = new AppleExportParser(JOB, LOS_ANGELES);
        CollectingHandler handler = new CollectingHandler() {
            @Override
            public void reading(Reading reading) {
                super.reading(reading);
                readingsSeen.add(parser.progress().readings());
            }
        };
        parser.parse(new ByteArrayInputStream(Fixtures.bytes(EVERY_KIND)), handler);

        assertThat(readingsSeen).hasSize(40);
        assertThat(readingsSeen.get(0)).isEqualTo(1);
        assertThat(readingsSeen.get(39)).isEqualTo(40);
    }

    @Test
    void unmappedTypeKeysStayBounded() throws Exception {
        StringBuilder xml = new StringBuilder("<HealthData>");
        int types = SkipReason.MAX_UNMAPPED_TYPE_KEYS + 10;
        for (int i = 0; i < types; i++) {
            xml.append("<Record type=\"HKQuantityTypeIdentifierMade").append(i).append("\" sourceName=\"x\" ")
                    .append("startDate=\"2024-03-12 08:00:00 +0000\" endDate=\"2024-03-12 08:00:00 +0000\"/>");
        }
        xml.append("<Record type=\"Not a type\" sourceName=\"x\" startDate=\"2024-03-12 08:00:00 +0000\" ")
                .append("endDate=\"2024-03-12 08:00:00 +0000\"/>");
        CollectingHandler handler = parseText(xml.append("</HealthData>").toString());

        assertThat(handler.skipped).hasSize(SkipReason.MAX_UNMAPPED_TYPE_KEYS + 1);
        assertThat(handler.skipped.get(SkipReason.UNMAPPED_TYPE_OTHER)).isEqualTo(11);
    }

    @Test
    void everyMappedTypeNamesAKnownMetric() {
        assertThat(AppleTypes.quantities()).isNotEmpty();
        AppleTypes.quantities().forEach((type, mapping) -> {
            assertThat(type).startsWith("HKQuantityTypeIdentifier");
            assertThat(Vocabulary.isKnown(mapping.metric().code())).isTrue();
        });
    }

    @Test
    void workoutActivityTypesBecomeSnakeCase() {
        assertThat(AppleExportParser.snakeCase("Running")).isEqualTo("running");
        assertThat(AppleExportParser.snakeCase("HighIntensityIntervalTraining"))
                .isEqualTo("high_intensity_interval_training");
        assertThat(AppleExportParser.snakeCase("SwimBikeRun")).isEqualTo("swim_bike_run");
        assertThat(AppleExportParser.snakeCase("HIITWorkout")).isEqualTo("hiit_workout");
    }

    private static String sleepRecord(String start, String end, String stage) {
        return "<Record type=\"HKCategoryTypeIdentifierSleepAnalysis\" sourceName=\"Watch\" "
                + "creationDate=\"2024-03-12 05:45:00 -0800\" startDate=\"" + start + "\" endDate=\"" + end
                + "\" value=\"HKCategoryValueSleepAnalysis" + stage + "\"/>\n";
    }

    static CollectingHandler parseText(String xml) throws Exception {
        CollectingHandler handler = new CollectingHandler();
        new AppleExportParser(JOB, LOS_ANGELES)
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), handler);
        return handler;
    }

    private static Session onlySession(CollectingHandler handler) {
        assertThat(handler.sessions).hasSize(1);
        return handler.sessions.get(0);
    }

    private static Reading only(String metric) {
        List<Reading> readings = out.readings(metric);
        assertThat(readings).as(metric).hasSize(1);
        return readings.get(0);
    }

    private static Reading only(String metric, String app) {
        List<Reading> readings = out.readings(metric).stream().filter(reading -> app.equals(reading.app())).toList();
        assertThat(readings).as(metric + " from " + app).hasSize(1);
        return readings.get(0);
    }

    private static Session workout(String activityType) {
        return out.sessions.stream()
                .filter(session -> session.type() == SessionType.WORKOUT
                        && activityType.equals(session.details().activityType()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + activityType + " workout"));
    }

    private static List<Session> sessions(SessionType type, String app) {
        return out.sessions.stream().filter(session -> session.type() == type && app.equals(session.app())).toList();
    }
}
