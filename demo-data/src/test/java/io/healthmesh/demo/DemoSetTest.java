package io.healthmesh.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.source.Topics;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class DemoSetTest {

    private static final String USER = "demo";
    /** A window that contains the spring change of clocks in Paris (2024-03-31). */
    private static final LocalDate SPRING_LAST = LocalDate.of(2024, 4, 5);

    /** Windows across both changes of clocks, plus the one a run today would publish. */
    static List<LocalDate> lastDates() {
        return List.of(SPRING_LAST, LocalDate.of(2024, 11, 2), LocalDate.of(2025, 1, 3),
                LocalDate.now(ZoneOffset.UTC).minusDays(1));
    }

    private static List<DemoEvent> fourteenDaysEnding(LocalDate lastDate) {
        return DemoSet.generate(USER, lastDate.minusDays(13), lastDate);
    }

    @ParameterizedTest
    @MethodSource("lastDates")
    void everyEventPassesTheValidatorForItsTopic(LocalDate lastDate) {
        List<String> problems = DemoSet.problems(fourteenDaysEnding(lastDate));

        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }

    @Test
    void generatingADateTwiceGivesByteIdenticalEvents() {
        LocalDate date = LocalDate.of(2024, 3, 31);

        assertEquals(json(DemoSet.forDate(USER, date)), json(DemoSet.forDate(USER, date)));
    }

    @Test
    void aDateHasTheSameEventsInEveryWindowThatContainsIt() {
        LocalDate date = LocalDate.of(2024, 3, 28);
        List<DemoEvent> earlierWindow = DemoSet.generate(USER, date.minusDays(13), date);
        List<DemoEvent> laterWindow = DemoSet.generate(USER, date.minusDays(3), date.plusDays(10));

        assertEquals(json(ofDate(earlierWindow, date)), json(ofDate(laterWindow, date)));
        assertEquals(json(DemoSet.forDate(USER, date)), json(ofDate(laterWindow, date)));
    }

    @ParameterizedTest
    @MethodSource("lastDates")
    void eventIdsAreUnique(LocalDate lastDate) {
        List<DemoEvent> events = fourteenDaysEnding(lastDate);
        Set<UUID> ids = events.stream().map(event -> event.envelope().eventId()).collect(Collectors.toSet());

        assertEquals(events.size(), ids.size());
    }

    @Test
    void eachSourceTravelsOnItsProducersTopic() {
        Map<String, String> expectedTopic = Map.of(
                SourceId.WITHINGS, Topics.RAW_WITHINGS,
                SourceId.OURA, Topics.RAW_OURA,
                SourceId.APPLE_HEALTH, Topics.RAW_APPLE_HEALTH,
                SourceId.MYFITNESSPAL, Topics.RAW_CSV);

        for (DemoEvent event : fourteenDaysEnding(SPRING_LAST)) {
            String source = event.envelope().source();
            assertEquals(expectedTopic.get(source), event.topic(), source);
            assertTrue(Topics.sourcesAllowedOn(event.topic()).contains(source), source + " on " + event.topic());
        }
    }

    @Test
    void everySourceIsThereAndTheSetStaysSmall() {
        List<DemoEvent> events = fourteenDaysEnding(SPRING_LAST);

        assertEquals(Set.of(SourceId.WITHINGS, SourceId.OURA, SourceId.APPLE_HEALTH, SourceId.MYFITNESSPAL),
                DemoSet.countBySource(events).keySet());
        assertTrue(events.size() < 5_000, "events: " + events.size());
    }

    @Test
    void everyNightHasASleepSessionAndOneDayANap() {
        List<Session> sessions = fourteenDaysEnding(SPRING_LAST).stream()
                .filter(event -> event.envelope().payload() instanceof Session)
                .map(event -> (Session) event.envelope().payload())
                .toList();

        assertEquals(14, sessions.stream().filter(session -> session.type() == SessionType.SLEEP).count());
        assertEquals(1, sessions.stream().filter(session -> session.type() == SessionType.NAP).count());
        assertTrue(sessions.stream().allMatch(session -> !session.details().stages().isEmpty()));
    }

    @Test
    void oneWeightIsTypedInPounds() {
        List<Reading> typed = readings(fourteenDaysEnding(SPRING_LAST), SourceId.WITHINGS, "body_mass").stream()
                .filter(reading -> "lb".equals(reading.unit()))
                .toList();

        assertEquals(1, typed.size());
        assertEquals(Boolean.TRUE, typed.get(0).userEntered());
    }

    @Test
    void watchAndIphoneCountStepsInOverlappingIntervals() {
        List<Reading> steps = readings(DemoSet.forDate(USER, SPRING_LAST), SourceId.APPLE_HEALTH, "steps");
        List<Reading> watch = steps.stream().filter(r -> AppleHealthDemo.WATCH.equals(r.device())).toList();
        List<Reading> phone = steps.stream().filter(r -> AppleHealthDemo.PHONE.equals(r.device())).toList();

        assertFalse(watch.isEmpty());
        assertFalse(phone.isEmpty());
        assertTrue(watch.stream().anyMatch(w -> phone.stream().anyMatch(p -> overlap(w, p))));
    }

    @ParameterizedTest
    @MethodSource("lastDates")
    void nothingIsEmittedAfterTheLastDateEnds(LocalDate lastDate) {
        OffsetDateTime runDay = lastDate.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);

        for (DemoEvent event : fourteenDaysEnding(lastDate)) {
            assertFalse(event.envelope().occurredAt().isAfter(runDay), () -> EventJson.writeString(event.envelope()));
        }
    }

    private static boolean overlap(Reading a, Reading b) {
        return a.start().isBefore(b.end()) && b.start().isBefore(a.end());
    }

    private static List<Reading> readings(List<DemoEvent> events, String source, String metric) {
        return events.stream()
                .filter(event -> event.envelope().source().equals(source))
                .filter(event -> event.envelope().payload() instanceof Reading)
                .map(event -> (Reading) event.envelope().payload())
                .filter(reading -> reading.metric().equals(metric))
                .toList();
    }

    private static List<DemoEvent> ofDate(List<DemoEvent> window, LocalDate date) {
        Set<UUID> ids = new HashSet<>();
        DemoSet.forDate(USER, date).forEach(event -> ids.add(event.envelope().eventId()));
        return window.stream().filter(event -> ids.contains(event.envelope().eventId())).toList();
    }

    private static List<String> json(List<DemoEvent> events) {
        return events.stream().map(event -> event.topic() + " " + EventJson.writeString(event.envelope())).toList();
    }
}
