package io.healthmesh.demo;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.HeartRateStats;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionDetails;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.event.SleepStageInterval;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.source.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Oura connector would publish: the daily activity steps, readiness score and resting
 * heart rate as daily values; the night as a sleep session with a five-minute hypnogram; the
 * ring's heart rate every five minutes through the night; and, on one day of every fourteen, an
 * afternoon nap. Oura writes offsets but no zone, so neither do these events.
 */
final class OuraDemo {

    static final String RING = "Oura Ring Gen3";

    private static final Duration EPOCH = Duration.ofMinutes(5);
    private static final int NAP_DAY = 9;
    /** The app syncs the ring a little after waking; daily documents settle after local midnight. */
    private static final Duration NIGHT_SYNC_DELAY = Duration.ofMinutes(20);
    private static final Duration DAILY_SYNC_DELAY = Duration.ofMinutes(15);

    private OuraDemo() {
    }

    static List<DemoEvent> day(String userId, DayProfile profile) {
        LocalDate date = profile.date();
        DayRandom random = DayRandom.of(date, SourceId.OURA);
        List<DemoEvent> events = new ArrayList<>();

        List<SleepStageInterval> stages = hypnogram(profile, random);
        List<Reading> heartRates = nightHeartRates(date, profile, stages, random);
        OffsetDateTime nightSynced = DemoTime.emittedAfter(profile.wake(), NIGHT_SYNC_DELAY);
        events.add(session(userId, Session.builder()
                .sourceRecordId(documentId("sleep", date))
                .type(SessionType.SLEEP)
                .start(profile.bedtime())
                .end(profile.wake())
                .device(RING)
                .details(SessionDetails.builder()
                        .stages(stages)
                        .efficiency((double) Math.round(100 * asleepSeconds(stages)
                                / Duration.between(profile.bedtime(), profile.wake()).toSeconds()))
                        .latencySeconds((double) latencySeconds(stages))
                        .heartRate(stats(heartRates))
                        .build())
                .build(), nightSynced));
        for (Reading heartRate : heartRates) {
            events.add(new DemoEvent(Topics.RAW_OURA, Envelope.reading(userId, SourceId.OURA, heartRate,
                    nightSynced)));
        }

        int steps = (int) Math.max(1_500, Math.round(profile.activity() * 10_500 + random.gaussian(0, 500)));
        int readiness = (int) Math.max(40, Math.min(99,
                Math.round(80 + 2 * (53 - profile.restingHeartRate()) + random.gaussian(0, 4))));
        events.add(daily(userId, date, "daily_activity", "steps", steps, "count"));
        events.add(daily(userId, date, "daily_readiness", "oura_readiness_score", readiness, "count"));
        events.add(daily(userId, date, "daily_resting_heart_rate", "resting_heart_rate",
                profile.restingHeartRate(), "bpm"));

        if (Math.floorMod(date.toEpochDay(), 14) == NAP_DAY) {
            events.add(nap(userId, date, random));
        }
        return events;
    }

    /**
     * Oura document ids are opaque; demo ones are readable and depend only on the document kind and
     * the date (and a sample's index), so a rerun sends the same ids.
     */
    static String documentId(String kind, LocalDate date) {
        return "oura-demo-" + kind + "-" + date;
    }

    /**
     * A night in five-minute epochs: falling asleep, then roughly ninety-minute cycles of light,
     * deep and REM sleep, deep sleep early in the night and REM late, with a few short wake-ups.
     */
    private static List<SleepStageInterval> hypnogram(DayProfile profile, DayRandom random) {
        List<SleepStage> epochs = new ArrayList<>();
        add(epochs, SleepStage.AWAKE, random.between(1, 3));
        for (int cycle = 0; epochs.size() < epochCount(profile); cycle++) {
            add(epochs, SleepStage.LIGHT, random.between(3, 6));
            add(epochs, SleepStage.DEEP, cycle < 2 ? random.between(4, 8) : random.between(0, 2));
            add(epochs, SleepStage.LIGHT, random.between(2, 4));
            add(epochs, SleepStage.REM, cycle == 0 ? random.between(1, 2) : random.between(3, 6));
            if (random.chance(0.3)) {
                add(epochs, SleepStage.AWAKE, 1);
            }
        }
        List<SleepStageInterval> stages = new ArrayList<>();
        Instant end = profile.wake().toInstant();
        Instant start = profile.bedtime().toInstant();
        int index = 0;
        while (start.isBefore(end)) {
            SleepStage stage = epochs.get(index);
            int run = 1;
            while (index + run < epochs.size() && epochs.get(index + run) == stage) {
                run++;
            }
            Instant stageEnd = start.plus(EPOCH.multipliedBy(run));
            // The last stage is clipped to the session's end, which is not on the five-minute grid.
            if (stageEnd.isAfter(end)) {
                stageEnd = end;
            }
            stages.add(new SleepStageInterval(stage, DemoTime.inHomeZone(start), DemoTime.inHomeZone(stageEnd)));
            start = stageEnd;
            index += run;
        }
        return stages;
    }

    private static long epochCount(DayProfile profile) {
        return (Duration.between(profile.bedtime(), profile.wake()).toSeconds() + EPOCH.toSeconds() - 1)
                / EPOCH.toSeconds();
    }

    private static void add(List<SleepStage> epochs, SleepStage stage, int count) {
        for (int i = 0; i < count; i++) {
            epochs.add(stage);
        }
    }

    /** Lowest in deep sleep, at the resting rate; higher in REM and when awake. */
    private static List<Reading> nightHeartRates(LocalDate date, DayProfile profile,
            List<SleepStageInterval> stages, DayRandom random) {
        List<Reading> samples = new ArrayList<>();
        Instant end = profile.wake().toInstant();
        int index = 0;
        for (Instant at = profile.bedtime().toInstant(); at.isBefore(end); at = at.plus(EPOCH), index++) {
            int rest = profile.restingHeartRate();
            int bpm = switch (stageAt(stages, at)) {
                case DEEP -> rest + random.between(0, 3);
                case LIGHT -> rest + random.between(3, 8);
                case REM -> rest + random.between(6, 12);
                default -> rest + random.between(10, 18);
            };
            samples.add(Reading.builder()
                    .sourceRecordId(documentId("heartrate", date) + "-" + index)
                    .metric("heart_rate")
                    .value((double) bpm)
                    .unit("bpm")
                    .aggregation(Aggregation.SAMPLE)
                    .at(DemoTime.inHomeZone(at))
                    .device(RING)
                    .build());
        }
        return samples;
    }

    private static SleepStage stageAt(List<SleepStageInterval> stages, Instant at) {
        for (SleepStageInterval stage : stages) {
            if (!at.isBefore(stage.start().toInstant()) && at.isBefore(stage.end().toInstant())) {
                return stage.stage();
            }
        }
        return SleepStage.AWAKE;
    }

    private static long asleepSeconds(List<SleepStageInterval> stages) {
        return stages.stream()
                .filter(stage -> stage.stage() != SleepStage.AWAKE)
                .mapToLong(stage -> Duration.between(stage.start(), stage.end()).toSeconds())
                .sum();
    }

    private static long latencySeconds(List<SleepStageInterval> stages) {
        SleepStageInterval first = stages.get(0);
        return first.stage() == SleepStage.AWAKE ? Duration.between(first.start(), first.end()).toSeconds() : 0;
    }

    private static HeartRateStats stats(List<Reading> heartRates) {
        double average = heartRates.stream().mapToDouble(Reading::value).average().orElseThrow();
        double min = heartRates.stream().mapToDouble(Reading::value).min().orElseThrow();
        double max = heartRates.stream().mapToDouble(Reading::value).max().orElseThrow();
        return new HeartRateStats(DayRandom.round(average, 1), min, max);
    }

    private static DemoEvent nap(String userId, LocalDate date, DayRandom random) {
        OffsetDateTime start = DemoTime.local(date, 14, 5 + random.between(0, 15));
        OffsetDateTime fellAsleep = start.plusMinutes(5);
        OffsetDateTime end = fellAsleep.plusMinutes(random.between(20, 35));
        Session nap = Session.builder()
                .sourceRecordId(documentId("nap", date))
                .type(SessionType.NAP)
                .start(start)
                .end(end)
                .device(RING)
                .details(SessionDetails.builder()
                        .stages(List.of(new SleepStageInterval(SleepStage.AWAKE, start, fellAsleep),
                                new SleepStageInterval(SleepStage.LIGHT, fellAsleep, end)))
                        .latencySeconds(300.0)
                        .build())
                .build();
        return session(userId, nap, DemoTime.emittedAfter(end, NIGHT_SYNC_DELAY));
    }

    private static DemoEvent daily(String userId, LocalDate date, String document, String metric, double value,
            String unit) {
        OffsetDateTime start = DemoTime.startOfDay(date);
        OffsetDateTime end = DemoTime.startOfDay(date.plusDays(1));
        Reading reading = Reading.builder()
                .sourceRecordId(documentId(document, date))
                .metric(metric)
                .value(value)
                .unit(unit)
                .aggregation(Aggregation.DAILY)
                .start(start)
                .end(end)
                .localDate(date)
                .device(RING)
                .build();
        return new DemoEvent(Topics.RAW_OURA, Envelope.reading(userId, SourceId.OURA, reading,
                DemoTime.emittedAfter(end, DAILY_SYNC_DELAY)));
    }

    private static DemoEvent session(String userId, Session session, OffsetDateTime emitted) {
        return new DemoEvent(Topics.RAW_OURA, Envelope.session(userId, SourceId.OURA, session, emitted));
    }
}
