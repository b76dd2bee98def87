package io.healthmesh.bench;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.source.Topics;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A deterministic, realistic mix of raw readings: reading {@code i} of a run is always the same
 * (so the floor can write the very same rows under other user ids). Each reading has its own
 * sourceRecordId, so N readings make exactly N rows of {@code unified_metric}.
 *
 * <p>Mix, by share of readings: Apple Health samples pushed from a phone (heart rate, steps and
 * distance intervals, active energy, temperature in degF, glucose in mg/dL), push SpO2 as a fraction,
 * Withings scale and cuff (body mass in lb, blood pressure, heart rate), Oura (5-minute heart rate,
 * HRV, daily resting heart rate, readiness, steps), nutrition CSV rows (MyFitnessPal energy,
 * Cronometer protein and sodium, water). Topics follow the producer path as in production:
 * phone samples on raw.push.v1, connectors on their own topic, CSV rows on raw.csv.v1. Import-job
 * ids are not set (raw.apple-health.v1 with its per-job outcome bookkeeping is not exercised).
 */
final class ReadingMix {

    /** One reading to publish: its raw topic (unprefixed) and the event. */
    record Generated(String topic, Envelope envelope) {
    }

    private static final OffsetDateTime BASE = OffsetDateTime.parse("2024-01-01T00:00:00Z");
    private static final ZoneOffset BERLIN_WINTER = ZoneOffset.ofHours(1);
    private static final ZoneOffset NEW_YORK_WINTER = ZoneOffset.ofHours(-5);

    private final int users;
    private final long seed;
    private final OffsetDateTime emitted;
    private final String runTag;

    ReadingMix(int users, long seed, OffsetDateTime emitted, String runTag) {
        this.users = users;
        this.seed = seed;
        this.emitted = emitted;
        this.runTag = runTag;
    }

    String userId(String userPrefix, int index) {
        return userPrefix + "u" + (index % users);
    }

    /** Reading {@code index} for the user {@code userPrefix + "u" + (index % users)}. */
    Generated reading(String userPrefix, int index) {
        String user = userId(userPrefix, index);
        int userNo = index % users;
        long seq = index / users;
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        boolean berlin = (userNo & 1) == 0;
        ZoneOffset offset = berlin ? BERLIN_WINTER : NEW_YORK_WINTER;
        String zone = berlin ? "Europe/Berlin" : "America/New_York";
        // Each user's readings move on about a minute apart, users a few seconds apart.
        OffsetDateTime at = BASE.plusSeconds(seq * 60 + userNo * 7L).withOffsetSameInstant(offset);
        int pick = random.nextInt(1000);

        if (pick < 290) {
            return apple(user, index, Reading.builder().metric("heart_rate").value(round(50 + random.nextDouble() * 110, 0))
                    .unit("count/min").aggregation(Aggregation.SAMPLE).at(at).zone(zone).device("Apple Watch")
                    .app("Health"));
        }
        if (pick < 490) {
            int minutes = 1 + random.nextInt(10);
            return apple(user, index, Reading.builder().metric("steps").value((double) random.nextInt(120 * minutes))
                    .unit("count").aggregation(Aggregation.CUMULATIVE).start(at).end(at.plusMinutes(minutes))
                    .zone(zone).device("iPhone").app("Health"));
        }
        if (pick < 540) {
            int minutes = 1 + random.nextInt(10);
            return apple(user, index, Reading.builder().metric("distance")
                    .value(round(random.nextDouble() * 0.12 * minutes, 3)).unit(berlin ? "km" : "mi")
                    .aggregation(Aggregation.CUMULATIVE).start(at).end(at.plusMinutes(minutes)).zone(zone)
                    .device("iPhone").app("Health"));
        }
        if (pick < 620) {
            return apple(user, index, Reading.builder().metric("active_energy").value(round(random.nextDouble() * 15, 2))
                    .unit("kcal").aggregation(Aggregation.CUMULATIVE).start(at).end(at.plusMinutes(5)).zone(zone)
                    .device("Apple Watch").app("Health"));
        }
        if (pick < 640) {
            return on(Topics.RAW_PUSH, user, SourceId.PUSH, Reading.builder()
                    .sourceRecordId(uuid(index).toString()).metric("oxygen_saturation")
                    .value(round(0.92 + random.nextDouble() * 0.07, 2)).unit("fraction").at(at).zone(zone)
                    .device("Pulse oximeter"));
        }
        if (pick < 650) {
            return apple(user, index, Reading.builder().metric("body_temperature")
                    .value(round(97 + random.nextDouble() * 2.5, 1)).unit("degF").at(at).zone(zone).app("Health"));
        }
        if (pick < 660) {
            return apple(user, index, Reading.builder().metric("blood_glucose")
                    .value(round(70 + random.nextDouble() * 110, 0)).unit("mg/dL").at(at).zone(zone)
                    .device("Dexcom G7").app("Dexcom"));
        }
        if (pick < 690) {
            return withings(user, index, Reading.builder().metric("body_mass")
                    .value(round(120 + random.nextDouble() * 120, 1)).unit("lb").at(at).device("Body+"));
        }
        if (pick < 710) {
            return withings(user, index, Reading.builder().metric("blood_pressure_systolic")
                    .value(round(100 + random.nextDouble() * 50, 0)).unit("mmHg").at(at).device("BPM Connect"));
        }
        if (pick < 730) {
            return withings(user, index, Reading.builder().metric("blood_pressure_diastolic")
                    .value(round(60 + random.nextDouble() * 35, 0)).unit("mmHg").at(at).device("BPM Connect"));
        }
        if (pick < 760) {
            return withings(user, index, Reading.builder().metric("heart_rate")
                    .value(round(50 + random.nextDouble() * 50, 0)).unit("bpm").at(at).device("ScanWatch"));
        }
        if (pick < 840) {
            return oura(user, index, Reading.builder().metric("heart_rate").value(round(45 + random.nextDouble() * 60, 0))
                    .unit("count/min").aggregation(Aggregation.SAMPLE).at(at).zone(zone).device("Oura Ring Gen3"));
        }
        if (pick < 890) {
            return oura(user, index, Reading.builder().metric("hrv_rmssd").value(round(15 + random.nextDouble() * 105, 0))
                    .unit("ms").at(at).zone(zone).device("Oura Ring Gen3"));
        }
        if (pick < 920) {
            String[] daily = {"resting_heart_rate", "oura_readiness_score", "steps"};
            String metric = daily[random.nextInt(daily.length)];
            double value = switch (metric) {
                case "resting_heart_rate" -> round(45 + random.nextDouble() * 30, 0);
                case "oura_readiness_score" -> (double) (40 + random.nextInt(61));
                default -> (double) random.nextInt(25_000);
            };
            String unit = metric.equals("resting_heart_rate") ? "count/min" : "count";
            LocalDate day = at.toLocalDate();
            OffsetDateTime midnight = day.atStartOfDay().atOffset(offset);
            return oura(user, index, Reading.builder().metric(metric).value(value).unit(unit)
                    .aggregation(Aggregation.DAILY).start(midnight).end(midnight.plusDays(1)).localDate(day).zone(zone));
        }
        if (pick < 950) {
            return csv(user, index, SourceId.MYFITNESSPAL, Reading.builder().metric("dietary_energy")
                    .value(round(100 + random.nextDouble() * 800, 0)).unit("kcal").aggregation(Aggregation.CUMULATIVE)
                    .start(at).end(at.plus(Duration.ofMinutes(30))).app("MyFitnessPal"));
        }
        if (pick < 970) {
            return csv(user, index, SourceId.CRONOMETER, Reading.builder().metric("protein")
                    .value(round(random.nextDouble() * 60, 1)).unit("g").aggregation(Aggregation.CUMULATIVE)
                    .start(at).end(at.plus(Duration.ofMinutes(30))).app("Cronometer"));
        }
        if (pick < 980) {
            return csv(user, index, SourceId.CRONOMETER, Reading.builder().metric("sodium")
                    .value(round(random.nextDouble() * 1500, 0)).unit("mg").aggregation(Aggregation.CUMULATIVE)
                    .start(at).end(at.plus(Duration.ofMinutes(30))).app("Cronometer"));
        }
        return csv(user, index, SourceId.CSV, Reading.builder().metric("water")
                .value(round(100 + random.nextDouble() * 400, 0)).unit("mL").aggregation(Aggregation.CUMULATIVE)
                .start(at).end(at.plusMinutes(1)));
    }

    private Generated apple(String user, int index, Reading.Builder reading) {
        // HealthKit sample ids are UUIDs.
        return on(Topics.RAW_PUSH, user, SourceId.APPLE_HEALTH, reading.sourceRecordId(uuid(index).toString()));
    }

    private Generated withings(String user, int index, Reading.Builder reading) {
        return on(Topics.RAW_WITHINGS, user, SourceId.WITHINGS, reading.sourceRecordId(String.valueOf(4_000_000_000L + index)));
    }

    private Generated oura(String user, int index, Reading.Builder reading) {
        return on(Topics.RAW_OURA, user, SourceId.OURA, reading.sourceRecordId("oura-" + runTag + "-" + index));
    }

    private Generated csv(String user, int index, String source, Reading.Builder reading) {
        return on(Topics.RAW_CSV, user, source, reading.sourceRecordId("row-" + runTag + "-" + index));
    }

    private Generated on(String topic, String user, String source, Reading.Builder reading) {
        return new Generated(topic, Envelope.reading(user, source, reading.build(), emitted));
    }

    private UUID uuid(int index) {
        return new UUID(seed ^ 0x4000L, 0x8000_0000_0000_0000L | index);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
