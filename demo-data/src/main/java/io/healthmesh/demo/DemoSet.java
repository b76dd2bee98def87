package io.healthmesh.demo;

import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.validation.EventValidator;
import io.healthmesh.contracts.validation.Violation;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The demo set: every source's events for a range of local dates. Each date is generated on its
 * own from seeds derived from the date, so a date's events are the same in any window that
 * contains it, and a rerun publishes byte-identical events.
 */
public final class DemoSet {

    private DemoSet() {
    }

    /** Every event of the dates from {@code firstDate} to {@code lastDate}, both included, oldest first. */
    public static List<DemoEvent> generate(String userId, LocalDate firstDate, LocalDate lastDate) {
        if (lastDate.isBefore(firstDate)) {
            throw new IllegalArgumentException("lastDate " + lastDate + " is before firstDate " + firstDate);
        }
        List<DemoEvent> events = new ArrayList<>();
        for (LocalDate date = firstDate; !date.isAfter(lastDate); date = date.plusDays(1)) {
            events.addAll(forDate(userId, date));
        }
        return events;
    }

    /** One local date's events of every source; the night that ends on the date belongs to it. */
    public static List<DemoEvent> forDate(String userId, LocalDate date) {
        DayProfile profile = DayProfile.of(date);
        List<DemoEvent> events = new ArrayList<>();
        events.addAll(WithingsDemo.day(userId, date));
        events.addAll(OuraDemo.day(userId, profile));
        events.addAll(AppleHealthDemo.day(userId, profile));
        events.addAll(MyFitnessPalDemo.day(userId, date));
        return events;
    }

    /**
     * What is wrong with the set, one line per problem: the validator's violations for the event's
     * topic (which includes whether its source may travel on it), and eventIds used twice.
     */
    public static List<String> problems(List<DemoEvent> events) {
        EventValidator validator = new EventValidator();
        List<String> problems = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        for (DemoEvent event : events) {
            Envelope envelope = event.envelope();
            for (Violation violation : validator.validate(envelope, event.topic())) {
                problems.add(describe(event) + ": " + violation.describe());
            }
            if (!seen.add(envelope.eventId())) {
                problems.add(describe(event) + ": eventId used by another demo event");
            }
        }
        return problems;
    }

    /** Events per source, in the order the sources first appear. */
    public static Map<String, Integer> countBySource(List<DemoEvent> events) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (DemoEvent event : events) {
            counts.merge(event.envelope().source(), 1, Integer::sum);
        }
        return counts;
    }

    private static String describe(DemoEvent event) {
        Envelope envelope = event.envelope();
        return event.topic() + " " + envelope.source() + " " + envelope.payload().sourceRecordId()
                + " (event " + envelope.eventId() + ")";
    }
}
