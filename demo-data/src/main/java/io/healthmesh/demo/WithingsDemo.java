package io.healthmesh.demo;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.source.Topics;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Withings connector would publish: a morning weigh-in on a Body+ scale (weight, fat mass,
 * fat ratio), an evening blood pressure on a BPM Connect every third day, and on one day of every
 * fourteen a weight the user typed into the app in pounds instead of stepping on the scale.
 */
final class WithingsDemo {

    static final String SCALE = "Body+";
    static final String BLOOD_PRESSURE_MONITOR = "BPM Connect";

    /** Withings grpids are int64; demo ones sit in a block of their own, ten per day. */
    private static final long GRPID_BASE = 5_000_000_000L;
    private static final int WEIGH_IN_GROUP = 0;
    private static final int BLOOD_PRESSURE_GROUP = 1;
    private static final int TYPED_WEIGHT_DAY = 6;
    private static final double POUND_IN_KG = 0.45359237;
    /** Notification, then the connector's fetch of the new measure group. */
    private static final Duration SYNC_DELAY = Duration.ofMinutes(2);

    private WithingsDemo() {
    }

    static List<DemoEvent> day(String userId, LocalDate date) {
        DayRandom random = DayRandom.of(date, SourceId.WITHINGS);
        List<DemoEvent> events = new ArrayList<>();
        long epochDay = date.toEpochDay();
        // A slow drift over weeks plus day-to-day noise, the way a real weight curve wobbles.
        double weightKg = 77.6 + 0.7 * Math.sin(epochDay * 2 * Math.PI / 45) + random.gaussian(0, 0.25);
        if (Math.floorMod(epochDay, 14) == TYPED_WEIGHT_DAY) {
            OffsetDateTime typedAt = DemoTime.local(date, 8, 10 + random.between(0, 20));
            double pounds = DayRandom.round(weightKg / POUND_IN_KG, 1);
            events.add(reading(userId, sample(date, WEIGH_IN_GROUP, "body_mass", pounds, "lb", typedAt, null)
                    .userEntered(true)));
        } else {
            OffsetDateTime weighedAt = DemoTime.local(date, 7, random.between(0, 40));
            double fatPercent = DayRandom.round(21.0 + 0.6 * Math.sin(epochDay * 2 * Math.PI / 30)
                    + random.gaussian(0, 0.3), 1);
            double kg = DayRandom.round(weightKg, 2);
            events.add(reading(userId, sample(date, WEIGH_IN_GROUP, "body_mass", kg, "kg", weighedAt, SCALE)));
            events.add(reading(userId, sample(date, WEIGH_IN_GROUP, "fat_mass",
                    DayRandom.round(kg * fatPercent / 100, 2), "kg", weighedAt, SCALE)));
            events.add(reading(userId, sample(date, WEIGH_IN_GROUP, "body_fat_percentage", fatPercent, "%",
                    weighedAt, SCALE)));
        }
        if (Math.floorMod(epochDay, 3) == 0) {
            OffsetDateTime measuredAt = DemoTime.local(date, 21, 30 + random.between(0, 25));
            events.add(reading(userId, sample(date, BLOOD_PRESSURE_GROUP, "blood_pressure_systolic",
                    random.between(112, 129), "mmHg", measuredAt, BLOOD_PRESSURE_MONITOR)));
            events.add(reading(userId, sample(date, BLOOD_PRESSURE_GROUP, "blood_pressure_diastolic",
                    random.between(70, 82), "mmHg", measuredAt, BLOOD_PRESSURE_MONITOR)));
            events.add(reading(userId, sample(date, BLOOD_PRESSURE_GROUP, "heart_rate",
                    random.between(60, 74), "bpm", measuredAt, BLOOD_PRESSURE_MONITOR)));
        }
        return events;
    }

    /** A measure group's grpid is the sourceRecordId of each of its measures; the metric tells them apart. */
    static String grpid(LocalDate date, int group) {
        return Long.toString(GRPID_BASE + date.toEpochDay() * 10 + group);
    }

    private static Reading.Builder sample(LocalDate date, int group, String metric, double value, String unit,
            OffsetDateTime at, String device) {
        return Reading.builder()
                .sourceRecordId(grpid(date, group))
                .metric(metric)
                .value(value)
                .unit(unit)
                .aggregation(Aggregation.SAMPLE)
                .at(at)
                .zone(DemoTime.HOME_ZONE_ID)
                .device(device);
    }

    private static DemoEvent reading(String userId, Reading.Builder reading) {
        Reading built = reading.build();
        return new DemoEvent(Topics.RAW_WITHINGS, Envelope.reading(userId, SourceId.WITHINGS, built,
                DemoTime.emittedAfter(built.end(), SYNC_DELAY)));
    }
}
