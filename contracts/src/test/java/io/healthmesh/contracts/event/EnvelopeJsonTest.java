package io.healthmesh.contracts.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.healthmesh.contracts.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeJsonTest {

    private static final List<String> GOLDEN = Fixtures.GOLDEN;

    private final ObjectMapper mapper = EventJson.mapper();

    @ParameterizedTest
    @FieldSource("GOLDEN")
    void goldenFixtureRoundTripsAsTheSameTree(String fixture) throws IOException {
        byte[] json = Fixtures.bytes(fixture);

        Envelope envelope = EventJson.read(json);
        byte[] written = EventJson.write(envelope);

        assertEquals(mapper.readTree(json), mapper.readTree(written), fixture);
        assertEquals(envelope, EventJson.read(written), fixture);
    }

    @Test
    void sampleReadingKeepsItsValuesAndOffset() {
        Envelope envelope = Fixtures.envelope("reading-sample");

        assertEquals(EventKind.READING, envelope.kind());
        assertEquals(UUID.fromString("aaf0a928-14c7-5409-8ddd-5c4b2934c1eb"), envelope.eventId());
        assertEquals(1, envelope.schemaVersion());
        assertEquals("withings", envelope.source());
        assertEquals(OffsetDateTime.parse("2024-03-10T08:02:13.481+01:00"), envelope.occurredAt());
        Reading reading = assertInstanceOf(Reading.class, envelope.payload());
        assertEquals("heart_rate", reading.metric());
        assertEquals(64.0, reading.value());
        assertEquals("bpm", reading.unit());
        assertEquals(Aggregation.SAMPLE, reading.aggregation());
        assertEquals(ZoneOffset.ofHours(1), reading.start().getOffset());
        assertEquals(8, reading.start().getHour());
        assertEquals("Europe/Berlin", reading.zone());
        assertEquals("Body Cardio", reading.device());
        assertEquals("Health Mate", reading.app());
        assertNull(reading.userEntered());
        assertFalse(reading.deleted());
    }

    @Test
    void offsetsAreWrittenExactlyAsReceived() {
        Envelope envelope = Fixtures.envelope("reading-cumulative");
        String written = EventJson.writeString(envelope);

        assertTrue(written.contains("\"start\":\"2024-03-09T14:05:00-05:00\""), written);
        assertTrue(written.contains("\"occurredAt\":\"2024-03-09T19:20:00Z\""), written);
        assertTrue(written.contains("Anna\u2019s Apple Watch"), written);
    }

    @Test
    void dailyReadingKeepsItsLocalDate() {
        Reading reading = (Reading) Fixtures.envelope("reading-daily").payload();

        assertEquals(Aggregation.DAILY, reading.aggregation());
        assertEquals(LocalDate.of(2024, 3, 10), reading.localDate());
        assertNull(reading.zone());
    }

    @Test
    void tombstoneHasNoMetric() {
        Envelope envelope = Fixtures.envelope("reading-tombstone");
        Reading reading = (Reading) envelope.payload();

        assertTrue(reading.deleted());
        assertNull(reading.metric());
        assertNull(reading.value());
        assertNull(reading.effectiveAggregation());
    }

    @Test
    void importedReadingKeepsUnitJobAndUserEntered() {
        Reading reading = (Reading) Fixtures.envelope("reading-with-import-job").payload();

        assertEquals("lb", reading.unit());
        assertEquals(172.4, reading.value());
        assertEquals(Boolean.TRUE, reading.userEntered());
        assertEquals("0b6d2f7e-4c1a-4f38-9a51-2b7e5d9c3a10", reading.importJobId());
        assertEquals(ZoneOffset.ofHours(-7), reading.start().getOffset());
    }

    @Test
    void sleepSessionWithStagesParsesIntervals() {
        Envelope envelope = Fixtures.envelope("session-sleep-stages");

        assertEquals(EventKind.SESSION, envelope.kind());
        Session session = assertInstanceOf(Session.class, envelope.payload());
        assertEquals(SessionType.SLEEP, session.type());
        List<SleepStageInterval> stages = session.details().stages();
        assertEquals(6, stages.size());
        assertEquals(SleepStage.DEEP, stages.get(2).stage());
        assertEquals(OffsetDateTime.parse("2024-03-10T00:09:30+01:00"), stages.get(2).start());
        assertEquals(88.0, session.details().efficiency());
        assertEquals(720.0, session.details().latencySeconds());
        assertEquals(new HeartRateStats(54.5, 48.0, null), session.details().heartRate());
        assertNull(session.details().stageTotalsSeconds());
    }

    @Test
    void sleepSessionWithTotalsParsesStageKeys() {
        Session session = (Session) Fixtures.envelope("session-sleep-totals").payload();

        Map<SleepStage, Double> totals = session.details().stageTotalsSeconds();
        assertEquals(Map.of(SleepStage.AWAKE, 1500.0, SleepStage.LIGHT, 14400.0, SleepStage.DEEP, 5400.0,
                SleepStage.REM, 6300.0), totals);
        assertEquals(840.0, session.details().latencySeconds());
    }

    @Test
    void workoutParsesRenamedDetailFields() {
        Session session = (Session) Fixtures.envelope("session-workout").payload();

        assertEquals(SessionType.WORKOUT, session.type());
        SessionDetails details = session.details();
        assertEquals("running", details.activityType());
        assertEquals(7412.5, details.distanceMeters());
        assertEquals(512.3, details.energyKcal());
        assertEquals(new HeartRateStats(152.0, 118.0, 176.0), details.heartRate());
        assertEquals(ZoneOffset.UTC, session.start().getOffset());
    }

    @Test
    void unknownFieldsAreIgnoredAtEveryLevel() throws IOException {
        byte[] json = Fixtures.bytes("reading-unknown-field");
        JsonNode tree = mapper.readTree(json);
        assertTrue(tree.has("traceId") && tree.get("payload").has("confidence"), "fixture lost its unknown fields");

        Envelope envelope = EventJson.read(json);

        assertEquals(Fixtures.envelope("reading-sample"), envelope);
        assertEquals(mapper.readTree(Fixtures.bytes("reading-sample")), mapper.readTree(EventJson.write(envelope)));
    }

    @Test
    void unknownFieldsAreIgnoredEvenByAMapperThatWouldFailOnThem() throws IOException {
        // The records carry @JsonIgnoreProperties, so a service mapper left at Jackson's defaults still reads them.
        ObjectMapper strict = new ObjectMapper().findAndRegisterModules();
        strict.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

        Envelope envelope = strict.readValue(Fixtures.bytes("reading-unknown-field"), Envelope.class);

        assertEquals(Fixtures.envelope("reading-sample"), envelope);
    }

    @Test
    void factoriesBuildTheFixtureWithTheSameEventId() {
        Reading reading = Reading.builder()
                .sourceRecordId("5172843901")
                .metric("heart_rate")
                .value(64.0)
                .unit("bpm")
                .aggregation(Aggregation.SAMPLE)
                .at(OffsetDateTime.parse("2024-03-10T08:00:00+01:00"))
                .zone("Europe/Berlin")
                .device("Body Cardio")
                .app("Health Mate")
                .build();

        Envelope built = Envelope.reading("user-7f3a", "withings", reading,
                OffsetDateTime.parse("2024-03-10T08:02:13.481+01:00"));

        assertEquals(Fixtures.envelope("reading-sample"), built);
    }

    @Test
    void sessionFactoryBuildsTheFixture() {
        Session fixture = (Session) Fixtures.envelope("session-sleep-totals").payload();
        Session rebuilt = fixture.toBuilder().build();

        Envelope built = Envelope.session("user-7f3a", "withings", rebuilt,
                OffsetDateTime.parse("2024-02-14T07:10:00-05:00"));

        assertEquals(Fixtures.envelope("session-sleep-totals"), built);
    }

    @Test
    void kindIsWrittenFromThePayload() throws IOException {
        Envelope session = Fixtures.envelope("session-workout");

        JsonNode written = mapper.readTree(EventJson.write(session));

        assertEquals("session", written.get("kind").asText());
        assertEquals(1, countFields(written, "kind"));
    }

    @Test
    void integerValuesReadAsDoubles() {
        String json = new String(Fixtures.bytes("reading-sample"), StandardCharsets.UTF_8)
                .replace("\"value\": 64.0", "\"value\": 64");
        Reading reading = (Reading) EventJson.read(json).payload();

        assertEquals(64.0, reading.value());
    }

    @Test
    void effectiveAggregationFallsBackToTheMetricDefault() {
        Reading withoutAggregation = Reading.builder().metric("steps").build();
        Reading explicit = Reading.builder().metric("steps").aggregation(Aggregation.DAILY).build();
        Reading unknownMetric = Reading.builder().metric("no_such_metric").build();

        assertEquals(Aggregation.CUMULATIVE, withoutAggregation.effectiveAggregation());
        assertEquals(Aggregation.DAILY, explicit.effectiveAggregation());
        assertNull(unknownMetric.effectiveAggregation());
    }

    @Test
    void configureGivesAServiceMapperTheSameBehaviour() throws IOException {
        ObjectMapper serviceMapper = new ObjectMapper();
        EventJson.configure(serviceMapper);
        byte[] json = Fixtures.bytes("session-sleep-stages");

        Envelope envelope = serviceMapper.readValue(json, Envelope.class);

        assertEquals(Fixtures.envelope("session-sleep-stages"), envelope);
        assertEquals(mapper.readTree(json), serviceMapper.readTree(serviceMapper.writeValueAsBytes(envelope)));
    }

    @Test
    void nullsAreLeftOut() throws IOException {
        Envelope envelope = Fixtures.envelope("reading-tombstone");

        JsonNode payload = mapper.readTree(EventJson.write(envelope)).get("payload");

        assertFalse(payload.has("metric"));
        assertFalse(payload.has("value"));
        assertEquals(2, payload.size(), payload.toString());
    }

    @Test
    void timestampWithoutOffsetIsRejected() {
        String json = new String(Fixtures.bytes("reading-sample"), StandardCharsets.UTF_8)
                .replace("\"start\": \"2024-03-10T08:00:00+01:00\"", "\"start\": \"2024-03-10T08:00:00\"");
        assertTrue(json.contains("\"2024-03-10T08:00:00\""), "replacement did not apply");

        MalformedEventException e = assertThrows(MalformedEventException.class, () -> EventJson.read(json));

        assertTrue(e.reason().startsWith("payload.start: "), e.reason());
        assertTrue(e.reason().contains("2024-03-10T08:00:00"), e.reason());
    }

    @Test
    void missingKindIsRejected() throws IOException {
        ObjectNode tree = (ObjectNode) mapper.readTree(Fixtures.bytes("reading-sample"));
        tree.remove("kind");

        MalformedEventException e = assertThrows(MalformedEventException.class,
                () -> EventJson.read(mapper.writeValueAsBytes(tree)));

        assertEquals("missing kind", e.reason());
    }

    @Test
    void missingKindAndPayloadIsRejected() {
        MalformedEventException e = assertThrows(MalformedEventException.class,
                () -> EventJson.read("{\"eventId\":\"aaf0a928-14c7-5409-8ddd-5c4b2934c1eb\",\"userId\":\"u\"}"));

        assertEquals("missing kind", e.reason());
    }

    @Test
    void missingPayloadIsRejected() throws IOException {
        ObjectNode tree = (ObjectNode) mapper.readTree(Fixtures.bytes("reading-sample"));
        tree.remove("payload");

        MalformedEventException e = assertThrows(MalformedEventException.class,
                () -> EventJson.read(mapper.writeValueAsBytes(tree)));

        assertEquals("missing payload", e.reason());
    }

    @Test
    void nullPayloadIsRejected() throws IOException {
        ObjectNode tree = (ObjectNode) mapper.readTree(Fixtures.bytes("reading-sample"));
        tree.putNull("payload");

        MalformedEventException e = assertThrows(MalformedEventException.class,
                () -> EventJson.read(mapper.writeValueAsBytes(tree)));

        assertEquals("missing payload", e.reason());
    }

    @Test
    void unknownKindIsRejected() throws IOException {
        ObjectNode tree = (ObjectNode) mapper.readTree(Fixtures.bytes("reading-sample"));
        tree.put("kind", "measurement");

        MalformedEventException e = assertThrows(MalformedEventException.class,
                () -> EventJson.read(mapper.writeValueAsBytes(tree)));

        assertEquals("unknown kind 'measurement'", e.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json",
        "{\"eventId\":",
        "[]",
        "null",
        "42",
        "{\"kind\":\"reading\",\"payload\":[1,2]}",
        "{\"kind\":\"reading\",\"payload\":\"steps\"}",
        "{\"kind\":\"reading\",\"payload\":{\"metric\":\"steps\",\"value\":\"lots\"}}",
        "{\"kind\":\"reading\",\"payload\":{\"metric\":\"steps\",\"aggregation\":\"weekly\"}}",
        "{\"kind\":\"reading\",\"payload\":{\"start\":\"yesterday\"}}",
        "{\"kind\":\"reading\",\"payload\":{\"localDate\":\"2024-13-45\"}}",
        "{\"kind\":\"session\",\"payload\":{\"type\":\"siesta\"}}",
        "{\"kind\":\"session\",\"payload\":{\"details\":{\"stageTotals\":{\"core\":60.0}}}}",
        "{\"kind\":\"session\",\"payload\":{\"details\":{\"stages\":{\"stage\":\"deep\"}}}}",
        "{\"eventId\":\"not-a-uuid\",\"kind\":\"reading\",\"payload\":{}}",
        "{\"kind\":\"reading\",\"payload\":{}} trailing",
        "{\"kind\":\"reading\",\"payload\":{}}{\"kind\":\"reading\",\"payload\":{}}"
    })
    void malformedEventsThrowWithAReason(String json) {
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> EventJson.read(json));

        assertFalse(e.reason() == null || e.reason().isBlank(), "no reason for " + json);
        assertTrue(e.getMessage().startsWith("malformed event: "), e.getMessage());
    }

    @Test
    void reasonsNameThePathOfTheBadField() {
        MalformedEventException stage = assertThrows(MalformedEventException.class, () -> EventJson.read(
                "{\"kind\":\"session\",\"payload\":{\"details\":{\"stages\":[{\"stage\":\"core\"}]}}}"));
        MalformedEventException eventId = assertThrows(MalformedEventException.class, () -> EventJson.read(
                "{\"eventId\":\"x\",\"kind\":\"reading\",\"payload\":{}}"));

        assertTrue(stage.reason().startsWith("payload.details.stages[0].stage: "), stage.reason());
        assertTrue(eventId.reason().startsWith("eventId: "), eventId.reason());
    }

    @Test
    void nullMessageIsMalformed() {
        assertThrows(MalformedEventException.class, () -> EventJson.read((byte[]) null));
    }

    @Test
    void sharedMapperIsOneInstance() {
        assertTrue(EventJson.mapper() == EventJson.mapper());
    }

    private static int countFields(JsonNode node, String name) {
        int count = 0;
        for (var names = node.fieldNames(); names.hasNext(); ) {
            if (names.next().equals(name)) {
                count++;
            }
        }
        return count;
    }
}
