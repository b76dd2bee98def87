package io.healthmesh.contracts.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.healthmesh.contracts.Fixtures;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.contracts.event.EventKind;
import io.healthmesh.contracts.event.HeartRateStats;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionDetails;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.event.SleepStageInterval;
import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class EventValidatorTest {

    private static final String USER = "user-7f3a";
    private static final OffsetDateTime OCCURRED = OffsetDateTime.parse("2024-03-10T09:00:00+01:00");
    private static final OffsetDateTime T0 = OffsetDateTime.parse("2024-03-10T08:00:00+01:00");

    private final EventValidator validator = new EventValidator();

    @ParameterizedTest
    @CsvSource({
        "reading-sample,          raw.withings.v1",
        "reading-cumulative,      raw.push.v1",
        "reading-daily,           raw.oura.v1",
        "reading-tombstone,       raw.withings.v1",
        "reading-with-import-job, raw.apple-health.v1",
        "reading-unknown-field,   raw.withings.v1",
        "session-sleep-stages,    raw.oura.v1",
        "session-sleep-totals,    raw.withings.v1",
        "session-workout,         raw.apple-health.v1"
    })
    void validFixturesPassOnTheirTopic(String fixture, String topic) {
        Envelope envelope = Fixtures.envelope(fixture);

        assertEquals(List.of(), validator.validate(envelope));
        assertEquals(List.of(), validator.validate(envelope, topic));
    }

    // ---- readings: each case breaks one rule of a valid heart-rate reading ----

    static Stream<Arguments> invalidReadings() {
        return Stream.of(
                reading("unknown metric", r -> r.metric("heartrate"),
                        "payload.metric", "unknown metric 'heartrate'"),
                reading("metric missing on a live reading", r -> r.metric(null),
                        "payload.metric", "missing"),
                reading("wrong unit for steps", r -> r.metric("steps").unit("kg").value(1000.0),
                        "payload.unit", "unit 'kg' does not fit metric 'steps'"),
                reading("unknown unit", r -> r.unit("beats"),
                        "payload.unit", "unknown unit 'beats' for metric 'heart_rate'"),
                reading("unit missing", r -> r.unit(null),
                        "payload.unit", "missing"),
                reading("value missing", r -> r.value(null),
                        "payload.value", "missing"),
                reading("value not finite", r -> r.value(Double.NaN),
                        "payload.value", "not a finite number"),
                reading("impossible heart rate", r -> r.value(900.0),
                        "payload.value", "900 count/min is above the limit 300 count/min for heart_rate"),
                reading("impossible body mass in lb", r -> r.metric("body_mass").unit("lb").value(2000.0),
                        "payload.value", "907.1847 kg is above the limit 650 kg for body_mass"),
                reading("body mass too low", r -> r.metric("body_mass").unit("kg").value(0.9),
                        "payload.value", "0.9 kg is below the limit 2 kg for body_mass"),
                reading("fraction sent as percent", r -> r.metric("oxygen_saturation").unit("%").value(0.97),
                        "payload.value", "below the limit 30 %"),
                reading("Fahrenheit sent as Celsius", r -> r.metric("body_temperature").unit("degC").value(98.6),
                        "payload.value", "above the limit 46 degC"),
                reading("start after end", r -> r.start(T0.plusMinutes(5)).end(T0),
                        "payload.start", "is after end"),
                reading("start missing", r -> r.start(null),
                        "payload.start", "missing"),
                reading("end missing", r -> r.end(null),
                        "payload.end", "missing"),
                reading("daily without localDate", r -> r.metric("resting_heart_rate").aggregation(null),
                        "payload.localDate", "daily reading needs its local date"),
                reading("explicit daily without localDate", r -> r.aggregation(Aggregation.DAILY),
                        "payload.localDate", "daily reading needs its local date"),
                reading("unknown zone", r -> r.zone("Europe/Atlantis"),
                        "payload.zone", "'Europe/Atlantis' is not an IANA time zone id"),
                reading("offset instead of zone", r -> r.zone("+01:00"),
                        "payload.zone", "not an IANA time zone id"),
                reading("interval too long", r -> r.metric("steps").unit("count").value(5000.0)
                                .aggregation(Aggregation.CUMULATIVE).start(T0).end(T0.plusDays(40)),
                        "payload.end", "interval of 40 days is longer than 31 days"),
                reading("blank sourceRecordId", r -> r.sourceRecordId(" "),
                        "payload.sourceRecordId", "missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidReadings")
    void invalidReadingsAreNamed(String name, Envelope envelope, String field, String reasonPart) {
        assertSingleViolation(validator.validate(envelope), field, reasonPart);
    }

    static Stream<Arguments> validReadings() {
        return Stream.of(
                Arguments.of("fraction converted to percent",
                        heartRate().metric("oxygen_saturation").unit("fraction").value(0.97)),
                Arguments.of("body mass in stone", heartRate().metric("body_mass").unit("st").value(11.5)),
                Arguments.of("glucose in Apple's molar unit",
                        heartRate().metric("blood_glucose").unit("mmol<180.1558800000541>/L").value(5.4)),
                Arguments.of("glucose in mg/dL", heartRate().metric("blood_glucose").unit("mg/dL").value(94.0)),
                Arguments.of("heart rate at the limit", heartRate().value(300.0)),
                Arguments.of("temperature deviation in degF",
                        heartRate().metric("body_temperature_deviation").unit("degF").value(-0.4)
                                .aggregation(null).localDate(LocalDate.of(2024, 3, 10))),
                Arguments.of("daily with localDate over a day",
                        heartRate().metric("steps").unit("count").value(9000.0).aggregation(Aggregation.DAILY)
                                .start(T0).end(T0.plusDays(1)).localDate(LocalDate.of(2024, 3, 10))),
                Arguments.of("tombstone without metric", Reading.builder().sourceRecordId("5172843901").deleted(true)),
                Arguments.of("tombstone of one metric", Reading.builder().sourceRecordId("5172843901")
                        .metric("body_mass").deleted(true)),
                Arguments.of("UTC zone", heartRate().zone("UTC")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validReadings")
    void validReadingsPass(String name, Reading.Builder reading) {
        Envelope envelope = Envelope.reading(USER, "withings", reading.build(), OCCURRED);

        assertEquals(List.of(), validator.validate(envelope));
    }

    // ---- envelope rules ----

    @Test
    void wrongEventIdIsRejected() {
        Envelope valid = Envelope.reading(USER, "withings", heartRate().build(), OCCURRED);
        Envelope forged = withEventId(valid, UUID.randomUUID());

        assertSingleViolation(validator.validate(forged), "eventId",
                "eventId does not match userId|source|sourceRecordId|metric");
    }

    @Test
    void eventIdOfAnotherMetricIsRejected() {
        Reading reading = heartRate().build();
        Envelope valid = Envelope.reading(USER, "withings", reading, OCCURRED);
        Envelope stale = withEventId(valid, Envelope.reading(USER, "withings",
                reading.toBuilder().metric("resting_heart_rate").build(), OCCURRED).eventId());

        assertSingleViolation(validator.validate(stale), "eventId", "does not match");
    }

    @Test
    void sessionEventIdMustUseTheSessionMarker() {
        Session session = sleep().build();
        Envelope valid = Envelope.session(USER, "oura", session, OCCURRED);
        Envelope readingStyleId = withEventId(valid, Envelope.reading(USER, "oura",
                Reading.builder().sourceRecordId(session.sourceRecordId()).deleted(true).build(), OCCURRED).eventId());

        assertSingleViolation(validator.validate(readingStyleId), "eventId",
                "eventId does not match userId|source|sourceRecordId|session");
    }

    @Test
    void missingEventIdIsRejected() {
        Envelope valid = Envelope.reading(USER, "withings", heartRate().build(), OCCURRED);

        assertSingleViolation(validator.validate(withEventId(valid, null)), "eventId", "missing");
    }

    @Test
    void unknownSourceIsRejected() {
        Envelope envelope = Envelope.reading(USER, "garmin", heartRate().build(), OCCURRED);

        assertSingleViolation(validator.validate(envelope), "source", "unknown source 'garmin'");
    }

    @Test
    void blankUserIsRejected() {
        Envelope envelope = Envelope.reading(" ", "withings", heartRate().build(), OCCURRED);

        assertSingleViolation(validator.validate(envelope), "userId", "missing");
    }

    @Test
    void otherSchemaVersionIsRejected() {
        Envelope valid = Envelope.reading(USER, "withings", heartRate().build(), OCCURRED);
        Envelope future = new Envelope(valid.eventId(), 2, valid.kind(), valid.userId(), valid.source(),
                valid.occurredAt(), valid.payload());

        assertSingleViolation(validator.validate(future), "schemaVersion", "must be 1, was 2");
    }

    @Test
    void missingOccurredAtIsRejected() {
        Envelope valid = Envelope.reading(USER, "withings", heartRate().build(), OCCURRED);
        Envelope undated = new Envelope(valid.eventId(), 1, valid.kind(), valid.userId(), valid.source(), null,
                valid.payload());

        assertSingleViolation(validator.validate(undated), "occurredAt", "missing");
    }

    @Test
    void kindMustMatchThePayload() {
        Envelope valid = Envelope.session(USER, "oura", sleep().build(), OCCURRED);
        Envelope mislabelled = new Envelope(valid.eventId(), 1, EventKind.READING, valid.userId(), valid.source(),
                valid.occurredAt(), valid.payload());

        assertSingleViolation(validator.validate(mislabelled), "kind",
                "kind 'reading' does not match a session payload");
    }

    @Test
    void missingPayloadIsRejected() {
        Envelope empty = new Envelope(UUID.randomUUID(), 1, EventKind.READING, USER, "withings", OCCURRED, null);

        assertSingleViolation(validator.validate(empty), "payload", "missing");
    }

    @Test
    void sessionJsonSentAsReadingParsesButIsRejected() throws IOException {
        // Unknown fields are ignored, so a session body under kind "reading" reads as a reading without a metric.
        ObjectNode tree = (ObjectNode) EventJson.mapper().readTree(Fixtures.bytes("session-sleep-totals"));
        tree.put("kind", "reading");
        Envelope envelope = EventJson.read(EventJson.mapper().writeValueAsBytes(tree));

        List<String> fields = fields(validator.validate(envelope));

        assertTrue(fields.containsAll(List.of("eventId", "payload.metric", "payload.value", "payload.unit")),
                fields.toString());
    }

    @Test
    void everyViolationIsReportedNotOnlyTheFirst() {
        Reading reading = heartRate().value(900.0).zone("Mars/Olympus").start(T0.plusHours(1)).end(T0).build();
        Envelope envelope = Envelope.reading(USER, "garmin", reading, OCCURRED);

        assertEquals(List.of("source", "payload.zone", "payload.value", "payload.start"),
                fields(validator.validate(envelope)));
    }

    @Test
    void nullEnvelopeIsAViolation() {
        assertEquals(1, validator.validate(null).size());
        assertEquals(1, validator.validate(null, "raw.csv.v1").size());
    }

    // ---- topics ----

    @ParameterizedTest
    @CsvSource({
        "oura,         raw.csv.v1",
        "withings,     raw.oura.v1",
        "push,         raw.apple-health.v1",
        "csv,          raw.push.v1",
        "myfitnesspal, raw.withings.v1"
    })
    void sourceNotAllowedOnTopicIsRejected(String source, String topic) {
        Envelope envelope = Envelope.reading(USER, source, heartRate().build(), OCCURRED);

        assertEquals(List.of(), validator.validate(envelope));
        assertSingleViolation(validator.validate(envelope, topic), "source",
                "source '" + source + "' is not allowed on " + topic);
    }

    @ParameterizedTest
    @CsvSource({
        "apple_health, raw.push.v1",
        "apple_health, raw.apple-health.v1",
        "push,         raw.push.v1",
        "cronometer,   raw.csv.v1",
        "myfitnesspal, raw.csv.v1",
        "csv,          raw.csv.v1"
    })
    void sourceAllowedOnTopicPasses(String source, String topic) {
        Envelope envelope = Envelope.reading(USER, source, heartRate().build(), OCCURRED);

        assertEquals(List.of(), validator.validate(envelope, topic));
    }

    @Test
    void nonRawTopicIsRejected() {
        Envelope envelope = Envelope.reading(USER, "withings", heartRate().build(), OCCURRED);

        assertSingleViolation(validator.validate(envelope, "preferences.v1"), "source",
                "'preferences.v1' is not a raw topic");
    }

    // ---- sessions ----

    static Stream<Arguments> invalidSessions() {
        return Stream.of(
                session("type missing", s -> s.type(null), "payload.type", "missing"),
                session("start after end", s -> s.start(T0).end(T0.minusMinutes(1)).details(null),
                        "payload.start", "is after end"),
                session("end missing", s -> s.end(null).details(null), "payload.end", "missing"),
                session("sleep of 50 hours", s -> s.end(s.build().start().plusHours(50)).details(null),
                        "payload.end", "a sleep of 50 h is longer than 48 h"),
                session("nap of 49 hours", s -> s.type(SessionType.NAP).end(s.build().start().plusHours(49))
                                .details(null),
                        "payload.end", "a nap of 49 h is longer than 48 h"),
                session("workout of 8 days", s -> s.type(SessionType.WORKOUT).end(s.build().start().plusDays(8))
                                .details(null),
                        "payload.end", "a workout of 192 h is longer than 168 h"),
                session("stage before the session", s -> s.details(SessionDetails.ofStages(List.of(
                                stage(SleepStage.LIGHT, s.build().start().minusMinutes(10), s.build().start())))),
                        "payload.details.stages[0].start", "before the session's start"),
                session("stage after the session", s -> s.details(SessionDetails.ofStages(List.of(
                                stage(SleepStage.DEEP, s.build().start(), s.build().start().plusMinutes(30)),
                                stage(SleepStage.REM, s.build().end().minusMinutes(5), s.build().end().plusMinutes(2))))),
                        "payload.details.stages[1].end", "after the session's end"),
                session("stage reversed", s -> s.details(SessionDetails.ofStages(List.of(
                                stage(SleepStage.DEEP, s.build().start().plusMinutes(30), s.build().start())))),
                        "payload.details.stages[0].start", "is after end"),
                session("stage without stage", s -> s.details(SessionDetails.ofStages(List.of(
                                stage(null, s.build().start(), s.build().start().plusMinutes(30))))),
                        "payload.details.stages[0].stage", "missing"),
                session("negative stage total", s -> s.details(SessionDetails.ofStageTotals(Map.of(
                                SleepStage.DEEP, -60.0))),
                        "payload.details.stageTotals.deep", "negative"),
                session("stage total longer than the session", s -> s.details(SessionDetails.ofStageTotals(Map.of(
                                SleepStage.LIGHT, 9.0 * 3600))),
                        "payload.details.stageTotals.light", "exceeds the session's 28800 s"),
                session("stage totals add up to more than the session", s -> s.details(SessionDetails.ofStageTotals(
                                Map.of(SleepStage.LIGHT, 5.0 * 3600, SleepStage.DEEP, 2.0 * 3600,
                                        SleepStage.REM, 1.5 * 3600))),
                        "payload.details.stageTotals", "add up to 30600 s"),
                session("negative distance", s -> s.type(SessionType.WORKOUT).details(SessionDetails.builder()
                                .activityType("running").distanceMeters(-5.0).build()),
                        "payload.details.distance", "non-negative"),
                session("negative energy", s -> s.type(SessionType.WORKOUT).details(SessionDetails.builder()
                                .energyKcal(-1.0).build()),
                        "payload.details.energy", "non-negative"),
                session("heart rate min above max", s -> s.type(SessionType.WORKOUT).details(SessionDetails.builder()
                                .heartRate(new HeartRateStats(150.0, 170.0, 160.0)).build()),
                        "payload.details.heartRate.min", "above max"),
                session("impossible heart rate", s -> s.type(SessionType.WORKOUT).details(SessionDetails.builder()
                                .heartRate(new HeartRateStats(900.0, null, null)).build()),
                        "payload.details.heartRate.average", "outside 20-300"),
                session("efficiency over 100", s -> s.details(SessionDetails.builder().efficiency(120.0).build()),
                        "payload.details.efficiency", "0-100"),
                session("bad zone", s -> s.zone("CET+1"), "payload.zone", "not an IANA time zone id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSessions")
    void invalidSessionsAreNamed(String name, Envelope envelope, String field, String reasonPart) {
        assertSingleViolation(validator.validate(envelope), field, reasonPart);
    }

    static Stream<Arguments> validSessions() {
        return Stream.of(
                Arguments.of("stages within a minute of the bounds", sleep().details(SessionDetails.ofStages(List.of(
                        stage(SleepStage.LIGHT, T0.minusSeconds(30), T0.plusHours(4)),
                        stage(SleepStage.DEEP, T0.plusHours(4), T0.plusHours(8).plusSeconds(50)))))),
                Arguments.of("totals filling the night", sleep().details(SessionDetails.ofStageTotals(Map.of(
                        SleepStage.AWAKE, 1800.0, SleepStage.LIGHT, 15000.0, SleepStage.DEEP, 6000.0,
                        SleepStage.REM, 6000.0, SleepStage.IN_BED, 28800.0)))),
                Arguments.of("workout of six days", sleep().type(SessionType.WORKOUT).end(T0.plusDays(6))
                        .details(null)),
                Arguments.of("mindfulness without details", sleep().type(SessionType.MINDFULNESS)
                        .end(T0.plusMinutes(10)).details(null)),
                Arguments.of("instant session", sleep().end(T0).details(null)),
                Arguments.of("tombstone", Session.builder().sourceRecordId("d1a6e5b0").deleted(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSessions")
    void validSessionsPass(String name, Session.Builder session) {
        Envelope envelope = Envelope.session(USER, "oura", session.build(), OCCURRED);

        assertEquals(List.of(), validator.validate(envelope));
    }

    @Test
    void violationDescribesItself() {
        assertEquals("payload.unit: missing", new Violation("payload.unit", "missing").describe());
    }

    // ---- helpers ----

    private static Reading.Builder heartRate() {
        return Reading.builder()
                .sourceRecordId("5172843901")
                .metric("heart_rate")
                .value(64.0)
                .unit("bpm")
                .aggregation(Aggregation.SAMPLE)
                .at(T0)
                .zone("Europe/Berlin");
    }

    private static Session.Builder sleep() {
        return Session.builder()
                .sourceRecordId("d1a6e5b0-3f2c-4b8e-9c47-6a1f0e2d8b35")
                .type(SessionType.SLEEP)
                .start(T0)
                .end(T0.plusHours(8))
                .details(SessionDetails.builder().efficiency(90.0).latencySeconds(600.0).build());
    }

    private static SleepStageInterval stage(SleepStage stage, OffsetDateTime start, OffsetDateTime end) {
        return new SleepStageInterval(stage, start, end);
    }

    private static Arguments reading(String name, UnaryOperator<Reading.Builder> change, String field,
            String reasonPart) {
        Envelope envelope = Envelope.reading(USER, "withings", change.apply(heartRate()).build(), OCCURRED);
        return Arguments.of(name, envelope, field, reasonPart);
    }

    private static Arguments session(String name, UnaryOperator<Session.Builder> change, String field,
            String reasonPart) {
        Envelope envelope = Envelope.session(USER, "oura", change.apply(sleep()).build(), OCCURRED);
        return Arguments.of(name, envelope, field, reasonPart);
    }

    private static Envelope withEventId(Envelope envelope, UUID eventId) {
        return new Envelope(eventId, envelope.schemaVersion(), envelope.kind(), envelope.userId(), envelope.source(),
                envelope.occurredAt(), envelope.payload());
    }

    private static void assertSingleViolation(List<Violation> violations, String field, String reasonPart) {
        assertEquals(1, violations.size(), "expected only " + field + " but got " + violations);
        Violation violation = violations.get(0);
        assertEquals(field, violation.field(), violations.toString());
        assertTrue(violation.reason().contains(reasonPart),
                "reason '" + violation.reason() + "' lacks '" + reasonPart + "'");
    }

    private static List<String> fields(List<Violation> violations) {
        List<String> fields = new ArrayList<>();
        violations.forEach(violation -> fields.add(violation.field()));
        return fields;
    }
}
