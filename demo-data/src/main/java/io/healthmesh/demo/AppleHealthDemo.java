package io.healthmesh.demo;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.source.Topics;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What an Apple Health export import would publish: steps in ten-minute intervals from the Watch
 * (worn from shortly after waking until late evening) and from the iPhone (in the pocket on the
 * way to work, at lunch, on the way home), so that the two devices count the same walks in
 * overlapping intervals; the Watch's heart rate every twenty minutes; its active energy per hour.
 */
final class AppleHealthDemo {

    static final String WATCH = "Apple Watch";
    static final String PHONE = "iPhone";
    static final String APP = "Health";

    static final String STEP_COUNT = "HKQuantityTypeIdentifierStepCount";
    static final String HEART_RATE = "HKQuantityTypeIdentifierHeartRate";
    static final String ACTIVE_ENERGY = "HKQuantityTypeIdentifierActiveEnergyBurned";

    private static final Duration SLOT = Duration.ofMinutes(10);
    private static final Duration HEART_RATE_EVERY = Duration.ofMinutes(20);
    /** The Watch charges while its owner showers; the iPhone alone counts the first steps. */
    private static final Duration WATCH_CHARGING = Duration.ofMinutes(30);
    private static final LocalTime WATCH_OFF = LocalTime.of(22, 30);
    private static final Duration EXPORT_DELAY = Duration.ofMinutes(2);

    private AppleHealthDemo() {
    }

    /** A walk the user takes on the day, in Paris wall-clock time. */
    private record Walk(LocalTime from, LocalTime to) {
        boolean covers(OffsetDateTime time) {
            LocalTime local = time.atZoneSameInstant(DemoTime.HOME_ZONE).toLocalTime();
            return !local.isBefore(from) && local.isBefore(to);
        }
    }

    static List<DemoEvent> day(String userId, DayProfile profile) {
        LocalDate date = profile.date();
        DayRandom random = DayRandom.of(date, SourceId.APPLE_HEALTH);
        List<Walk> walks = walks(profile);
        List<DemoEvent> events = new ArrayList<>();

        OffsetDateTime firstSlot = ceilToSlot(profile.wake());
        OffsetDateTime watchOn = firstSlot.plus(WATCH_CHARGING);
        OffsetDateTime watchOff = DemoTime.local(date, WATCH_OFF);
        double[] watchStepsPerHour = new double[24];
        for (OffsetDateTime slot = firstSlot; slot.isBefore(watchOff); slot = later(slot, SLOT)) {
            boolean walking = isWalking(walks, slot);
            int intensity = walking
                    ? (int) Math.round(random.between(780, 1_120) * profile.activity())
                    : random.chance(0.5) ? random.between(10, 140) : 0;
            if (!slot.isBefore(watchOn) && intensity > 0) {
                OffsetDateTime start = slot.plusSeconds(random.between(0, 30));
                OffsetDateTime end = slot.plusMinutes(9).plusSeconds(random.between(20, 55));
                events.add(reading(userId, STEP_COUNT, "steps", intensity, "count", start, end, WATCH, random));
                watchStepsPerHour[hourOf(start)] += intensity;
            }
            boolean phoneCarried = walking || slot.isBefore(watchOn);
            if (phoneCarried && intensity > 0) {
                // Shifted by a few minutes against the Watch's interval, the way two devices never agree.
                OffsetDateTime start = slot.plusMinutes(4).plusSeconds(random.between(0, 30));
                OffsetDateTime end = start.plusMinutes(9).plusSeconds(random.between(0, 25));
                int steps = (int) Math.round(intensity * random.between(0.8, 0.98));
                if (steps > 0) {
                    events.add(reading(userId, STEP_COUNT, "steps", steps, "count", start, end, PHONE, random));
                }
            }
        }

        for (OffsetDateTime at = watchOn; at.isBefore(watchOff); at = later(at, HEART_RATE_EVERY)) {
            OffsetDateTime measured = at.plusSeconds(random.between(0, 120));
            int bpm = isWalking(walks, measured) ? random.between(92, 114) : random.between(63, 84);
            events.add(reading(userId, HEART_RATE, "heart_rate", bpm, "count/min", measured, measured, WATCH,
                    random));
        }

        for (OffsetDateTime hour = watchOn.truncatedTo(ChronoUnit.HOURS); hour.isBefore(watchOff);
                hour = later(hour, Duration.ofHours(1))) {
            OffsetDateTime nextHour = later(hour, Duration.ofHours(1));
            OffsetDateTime start = hour.isBefore(watchOn) ? watchOn : hour;
            OffsetDateTime end = nextHour.isAfter(watchOff) ? watchOff : nextHour;
            double kcal = DayRandom.round(random.between(3, 9) + 0.045 * watchStepsPerHour[hourOf(start)], 1);
            events.add(reading(userId, ACTIVE_ENERGY, "active_energy", kcal, "kcal", start, end, WATCH, random));
        }
        return events;
    }

    /** A commute and a lunch walk on workdays, a long morning walk at the weekend, an evening stroll on active days. */
    private static List<Walk> walks(DayProfile profile) {
        List<Walk> walks = new ArrayList<>();
        if (profile.workday()) {
            walks.add(new Walk(LocalTime.of(8, 20), LocalTime.of(8, 50)));
            walks.add(new Walk(LocalTime.of(12, 30), LocalTime.of(12, 50)));
            walks.add(new Walk(LocalTime.of(18, 10), LocalTime.of(18, 40)));
        } else {
            walks.add(new Walk(LocalTime.of(10, 30), LocalTime.of(11, 40)));
        }
        if (profile.activity() > 1.0) {
            walks.add(new Walk(LocalTime.of(20, 0), LocalTime.of(20, 30)));
        }
        return walks;
    }

    private static boolean isWalking(List<Walk> walks, OffsetDateTime time) {
        return walks.stream().anyMatch(walk -> walk.covers(time));
    }

    /** Steps on the instant timeline, written with the offset Paris has then (DST days change it). */
    private static OffsetDateTime later(OffsetDateTime time, Duration step) {
        return DemoTime.inHomeZone(time.toInstant().plus(step));
    }

    private static OffsetDateTime ceilToSlot(OffsetDateTime time) {
        OffsetDateTime hour = time.truncatedTo(ChronoUnit.HOURS);
        long slots = (Duration.between(hour, time).toSeconds() + SLOT.toSeconds() - 1) / SLOT.toSeconds();
        return hour.plus(SLOT.multipliedBy(slots));
    }

    private static int hourOf(OffsetDateTime time) {
        return time.atZoneSameInstant(DemoTime.HOME_ZONE).getHour();
    }

    private static DemoEvent reading(String userId, String hkType, String metric, double value, String unit,
            OffsetDateTime start, OffsetDateTime end, String device, DayRandom random) {
        // HealthKit saves a sample shortly after it ends; the export keeps that creationDate.
        OffsetDateTime created = end.plusSeconds(random.between(5, 90));
        Reading reading = Reading.builder()
                .sourceRecordId(Identity.appleSourceRecordId(hkType, APP, device, start, end, created))
                .metric(metric)
                .value(value)
                .unit(unit)
                .aggregation(hkType.equals(HEART_RATE) ? Aggregation.SAMPLE : Aggregation.CUMULATIVE)
                .start(start)
                .end(end)
                .zone(DemoTime.HOME_ZONE_ID)
                .device(device)
                .app(APP)
                .build();
        return new DemoEvent(Topics.RAW_APPLE_HEALTH, Envelope.reading(userId, SourceId.APPLE_HEALTH, reading,
                DemoTime.emittedAfter(created, EXPORT_DELAY)));
    }
}
