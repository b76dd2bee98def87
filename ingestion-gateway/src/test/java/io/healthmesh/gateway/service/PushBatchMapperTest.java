package io.healthmesh.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.EventKind;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.gateway.domain.PushBatch;
import io.healthmesh.gateway.domain.PushReading;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushBatchMapperTest {

    private static final OffsetDateTime NOW = OffsetDateTime.parse("2024-03-12T16:00:00Z");
    private static final String WATCH_DUMP = "<<HKDevice: 0x283735e00>, name:Apple Watch, manufacturer:Apple Inc.,"
            + " model:Watch, hardware:Watch6,2, software:10.3>";
    private static final String WATCH = "name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2,"
            + " software:10.3";

    private final PushBatchMapper mapper = new PushBatchMapper(3);

    static PushReading push(String id, String metric, Double value, String unit, String start, String end) {
        return new PushReading(id, metric, value, unit, start, end, null, null, null, null, null, null, null);
    }

    static PushReading apple(String hkType, String metric, Double value, String unit, String start, String end,
            String createdAt, String app, String device) {
        return new PushReading(null, metric, value, unit, start, end, null, device, app, hkType, createdAt, null, null);
    }

    private static Reading reading(Envelope event) {
        return (Reading) event.payload();
    }

    private static List<Problem.ProblemItem> refusal(ProblemException e, int status) {
        assertEquals(status, e.problem().status(), e.getMessage());
        return e.problem().errors() == null ? List.of() : e.problem().errors();
    }

    @Test
    void aPushReadingUsesItsIdAsSourceRecordIdAndTheMetricsDefaultAggregation() {
        List<Envelope> events = mapper.toEvents("u1", new PushBatch("push", List.of(
                push("scale-42", "body_mass", 81.5, "kg", "2024-03-12T07:01:00+01:00", "2024-03-12T07:01:00+01:00"))),
                NOW);

        Envelope event = events.get(0);
        assertEquals(EventKind.READING, event.kind());
        assertEquals("u1", event.userId());
        assertEquals("push", event.source());
        assertEquals(NOW, event.occurredAt());
        assertEquals(Identity.eventId("u1", "push", "scale-42", "body_mass"), event.eventId());
        Reading reading = reading(event);
        assertEquals("scale-42", reading.sourceRecordId());
        assertEquals(81.5, reading.value());
        assertEquals("kg", reading.unit());
        assertEquals(Aggregation.SAMPLE, reading.aggregation());
        assertEquals(OffsetDateTime.parse("2024-03-12T07:01:00+01:00"), reading.start());
        assertEquals("+01:00", reading.start().getOffset().getId(), "the offset is kept as written");
        assertNull(reading.localDate());
    }

    @Test
    void aDailyMetricGetsTheLocalDateOfItsStartInItsZoneElseAtItsOffset() {
        PushReading inZone = new PushReading("r1", "resting_heart_rate", 52.0, "count/min", "2024-03-12T23:30:00Z",
                "2024-03-12T23:30:00Z", "Europe/Berlin", null, null, null, null, null, null);
        PushReading atOffset = push("r2", "resting_heart_rate", 53.0, "bpm", "2024-03-12T23:30:00-05:00",
                "2024-03-12T23:30:00-05:00");

        List<Envelope> events = mapper.toEvents("u1", new PushBatch("push", List.of(inZone, atOffset)), NOW);

        assertEquals(LocalDate.parse("2024-03-13"), reading(events.get(0)).localDate());
        assertEquals(Aggregation.DAILY, reading(events.get(0)).aggregation());
        assertEquals(LocalDate.parse("2024-03-12"), reading(events.get(1)).localDate());
    }

    @Test
    void anAppleSampleHasTheExportImportersIdentity() {
        // The phone sends its local offset and sub-seconds; the export writes the phone's offset at
        // export time, whole seconds, and the device as HKDevice's debug dump with an address.
        PushReading pushed = apple("HKQuantityTypeIdentifierStepCount", "steps", 412.0, "count",
                "2024-03-12T07:15:32.250-07:00", "2024-03-12T07:24:50.900-07:00", "2024-03-12T07:31:02.001-07:00",
                "Maya\u2019s Apple Watch", WATCH_DUMP);

        Envelope event = mapper.toEvents("maya", new PushBatch("apple_health", List.of(pushed)), NOW).get(0);

        DateTimeFormatter export = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");
        String exported = Identity.appleSourceRecordId("HKQuantityTypeIdentifierStepCount", "Maya\u2019s Apple Watch",
                "<<HKDevice: 0x2813a2b70>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2,"
                        + " software:10.3>",
                OffsetDateTime.parse("2024-03-12 06:15:32 -0800", export),
                OffsetDateTime.parse("2024-03-12 06:24:50 -0800", export),
                OffsetDateTime.parse("2024-03-12 06:31:02 -0800", export));
        assertEquals("HKQuantityTypeIdentifierStepCount|Maya\u2019s Apple Watch|" + WATCH
                + "|2024-03-12T14:15:32Z|2024-03-12T14:24:50Z|2024-03-12T14:31:02Z", exported);
        assertEquals(exported, reading(event).sourceRecordId());
        assertEquals(Identity.eventId("maya", "apple_health", exported, "steps"), event.eventId());
        assertEquals("apple_health", event.source());
        assertEquals(WATCH, reading(event).device(), "the device is normalized as the importer does");
        assertEquals("Maya\u2019s Apple Watch", reading(event).app());
        assertEquals(Aggregation.CUMULATIVE, reading(event).aggregation());
    }

    @Test
    void everyInvalidReadingIsNamedByIndexAndField() {
        List<PushReading> readings = List.of(
                push("ok", "steps", 100.0, "count", "2024-03-12T07:00:00Z", "2024-03-12T07:10:00Z"),
                push(null, "steps", 100.0, "count", "2024-03-12T07:00:00Z", "2024-03-12T07:10:00Z"),
                push("nan", "heart_rate", Double.NaN, "count/min", "2024-03-12T07:00:00Z", "2024-03-12T07:00:00Z"),
                push("inf", "heart_rate", Double.POSITIVE_INFINITY, "count/min", "2024-03-12T07:00:00Z",
                        "2024-03-12T07:00:00Z"),
                push("no-offset", "steps", 10.0, "count", "2024-03-12T07:00:00", "2024-03-12T07:10:00Z"),
                push("reversed", "steps", 10.0, "count", "2024-03-12T07:10:00Z", "2024-03-12T07:00:00Z"),
                push("metric", "stepz", 10.0, "count", "2024-03-12T07:00:00Z", "2024-03-12T07:10:00Z"),
                push("unit", "steps", 10.0, "kg", "2024-03-12T07:00:00Z", "2024-03-12T07:10:00Z"),
                push("impossible", "heart_rate", 900.0, "count/min", "2024-03-12T07:00:00Z", "2024-03-12T07:00:00Z"),
                push("garbled", "steps", 10.0, "count", "yesterday", "2024-03-12T07:10:00Z"));

        ProblemException e = assertThrows(ProblemException.class,
                () -> new PushBatchMapper(100).toEvents("u1", new PushBatch("push", readings), NOW));

        List<Problem.ProblemItem> errors = refusal(e, 422);
        assertEquals("urn:healthmesh:problem:invalid-readings", e.problem().type());
        assertTrue(e.problem().detail().startsWith("9 of 10 readings are invalid"), e.problem().detail());
        assertEquals(List.of("1:id", "2:value", "3:value", "4:start", "5:start", "6:metric", "7:unit", "8:value",
                "9:start"), errors.stream().map(item -> item.index() + ":" + item.field()).toList());
        assertTrue(errors.get(3).reason().contains("no UTC offset"), errors.get(3).reason());
        assertTrue(errors.get(4).reason().contains("is after end"), errors.get(4).reason());
        assertTrue(errors.get(7).reason().contains("above the limit"), errors.get(7).reason());
    }

    @Test
    void timesMoreThanADayAheadOfTheBatchAreRefusedYear9999Included() {
        List<PushReading> readings = List.of(
                push("far", "steps", 10.0, "count", "9999-12-31T08:00:00+01:00", "9999-12-31T08:10:00+01:00"),
                push("tomorrow", "steps", 10.0, "count", "2024-03-13T16:00:00Z", "2024-03-13T16:00:01Z"),
                apple("HKQuantityTypeIdentifierStepCount", "steps", 10.0, "count", "2024-03-12T07:00:00Z",
                        "2024-03-12T07:10:00Z", "2124-03-12T07:20:00Z", "Watch", null));

        ProblemException e = assertThrows(ProblemException.class,
                () -> mapper.toEvents("u1", new PushBatch("push", readings.subList(0, 2)), NOW));
        List<Problem.ProblemItem> errors = refusal(e, 422);
        assertEquals(List.of("0:start", "0:end", "1:end"),
                errors.stream().map(item -> item.index() + ":" + item.field()).toList());
        assertTrue(errors.get(0).reason().contains("in the future"), errors.get(0).reason());

        ProblemException apple = assertThrows(ProblemException.class,
                () -> mapper.toEvents("u1", new PushBatch("apple_health", readings.subList(2, 3)), NOW));
        assertEquals(List.of("0:createdAt"),
                refusal(apple, 422).stream().map(item -> item.index() + ":" + item.field()).toList());

        // A day ahead exactly is still a clock that is off, not a reading from the future.
        PushReading dayAhead = push("skewed", "steps", 10.0, "count", "2024-03-13T15:50:00Z", "2024-03-13T16:00:00Z");
        assertEquals(1, mapper.toEvents("u1", new PushBatch("push", List.of(dayAhead)), NOW).size());
    }

    @Test
    void anAppleSampleWithoutItsIdentityFieldsIsRefused() {
        PushReading bare = new PushReading("client-id", "steps", 10.0, "count", "2024-03-12T07:00:00Z",
                "2024-03-12T07:10:00Z", null, null, null, null, null, null, null);

        ProblemException e = assertThrows(ProblemException.class,
                () -> mapper.toEvents("u1", new PushBatch("apple_health", List.of(bare)), NOW));

        assertEquals(List.of("0:hkType", "0:app", "0:createdAt"),
                refusal(e, 422).stream().map(item -> item.index() + ":" + item.field()).toList());
    }

    @Test
    void aPushTombstoneNeedsOnlyItsIdButAnAppleOneItsWholeIdentity() {
        PushReading pushTombstone = new PushReading("scale-42", null, null, null, null, null, null, null, null, null,
                null, null, true);
        Envelope event = mapper.toEvents("u1", new PushBatch("push", List.of(pushTombstone)), NOW).get(0);
        assertTrue(reading(event).deleted());
        assertEquals(Identity.eventId("u1", "push", "scale-42", null), event.eventId());

        PushReading appleTombstone = new PushReading(null, "steps", null, null, "2024-03-12T07:00:00Z", null, null,
                null, "Watch", "HKQuantityTypeIdentifierStepCount", "2024-03-12T07:20:00Z", null, true);
        ProblemException e = assertThrows(ProblemException.class,
                () -> mapper.toEvents("u1", new PushBatch("apple_health", List.of(appleTombstone)), NOW));
        assertEquals(List.of("0:end"), refusal(e, 422).stream().map(item -> item.index() + ":" + item.field()).toList());
    }

    @Test
    void theBatchMustNameAPushSource() {
        List<PushReading> one = List.of(push("a", "steps", 1.0, "count", "2024-03-12T07:00:00Z", "2024-03-12T07:01:00Z"));
        for (String source : new String[] {null, "withings", "csv"}) {
            ProblemException e = assertThrows(ProblemException.class,
                    () -> mapper.toEvents("u1", new PushBatch(source, one), NOW));
            List<Problem.ProblemItem> errors = refusal(e, 422);
            assertEquals(1, errors.size());
            assertNull(errors.get(0).index());
            assertEquals("source", errors.get(0).field());
        }
    }

    @Test
    void anEmptyBatchIs422AndAnOversizedOne413() {
        ProblemException empty = assertThrows(ProblemException.class,
                () -> mapper.toEvents("u1", new PushBatch("push", List.of()), NOW));
        refusal(empty, 422);
        assertEquals("urn:healthmesh:problem:empty-batch", empty.problem().type());
        ProblemException missing = assertThrows(ProblemException.class,
                () -> mapper.toEvents("u1", new PushBatch("push", null), NOW));
        refusal(missing, 422);

        List<PushReading> four = new ArrayList<>(Collections.nCopies(4,
                push("a", "steps", 1.0, "count", "2024-03-12T07:00:00Z", "2024-03-12T07:01:00Z")));
        ProblemException tooMany = assertThrows(ProblemException.class,
                () -> mapper.toEvents("u1", new PushBatch("push", four), NOW));
        refusal(tooMany, 413);
        assertEquals("urn:healthmesh:problem:too-many-readings", tooMany.problem().type());
        assertEquals(3, mapper.toEvents("u1", new PushBatch("push", four.subList(0, 3)), NOW).size());
    }

    @Test
    void aNullReadingIsNamed() {
        List<PushReading> readings = new ArrayList<>();
        readings.add(push("a", "steps", 1.0, "count", "2024-03-12T07:00:00Z", "2024-03-12T07:01:00Z"));
        readings.add(null);
        ProblemException e = assertThrows(ProblemException.class,
                () -> mapper.toEvents("u1", new PushBatch("push", readings), NOW));
        List<Problem.ProblemItem> errors = refusal(e, 422);
        assertEquals(1, errors.size());
        assertEquals(1, errors.get(0).index());
    }
}
