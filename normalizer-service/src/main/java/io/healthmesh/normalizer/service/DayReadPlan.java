package io.healthmesh.normalizer.service;

import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.domain.TimeWindow;
import io.healthmesh.normalizer.repository.DayCacheRepository.CachedDay;
import io.healthmesh.normalizer.repository.DayCacheRepository.ComputedDay;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A day-granularity read put together per local date: the dates the cache has, and runs of the
 * others read from the rows.
 *
 * <p>Why a date can be cached: a day bucket is a whole local date of a row's own clock, and the
 * window only decides which dates are in it (never cuts a date). So a date's points are made from
 * the rows that fall on that date alone, whatever the window, as long as the read fetched all of
 * them. Rows falling on date d lie within its stretch {@code [d - 18 h, d + 1 + 18 h]} (UTC;
 * clocks lie within +-18 h), and a day read fetches the stretches of all its dates
 * ({@link #stretchStart} of the first to {@link #stretchEnd} of the last): every date it reads is
 * complete, and kept for later reads. A run reads the rows of its dates' stretches and keeps its
 * dates' points only; the points are then sorted as one read sorts them.
 */
final class DayReadPlan {

    private static final Duration CLOCK_REACH = Duration.ofHours(18);
    /**
     * Local dates some zone skipped whole (Samoa's 2011-12-30, Kiribati's 1994-12-31, ...), each
     * with a day on either side. A daily value of a skipped date falls on the next date's bucket,
     * but only when its own date is in the window: around those dates a date's points depend on
     * the window, so reads touching them are not put together from the cache.
     */
    private static final List<LocalDate[]> AROUND_SKIPPED_DATES = aroundSkippedDates();

    /** Consecutive dates to compute, and the rows to read for them. */
    record Run(LocalDate first, LocalDate last, Instant rowsFrom, Instant rowsTo) {
    }

    private final Map<LocalDate, CachedDay> known;
    private final List<MetricPoint> points = new ArrayList<>();
    private final List<Run> runs = new ArrayList<>();
    private final List<ComputedDay> computed = new ArrayList<>();

    /**
     * @param window the read's window (its dates are the dates read)
     * @param known what the cache knows of the window's dates (absent: generation 0, nothing cached)
     */
    DayReadPlan(TimeWindow window, Map<LocalDate, CachedDay> known) {
        this.known = known;
        LocalDate runStart = null;
        for (LocalDate date = window.firstDate(); !date.isAfter(window.lastDate()); date = date.plusDays(1)) {
            CachedDay day = known.get(date);
            if (day != null && day.points() != null) {
                points.addAll(day.points());
                if (runStart != null) {
                    addRun(runStart, date.minusDays(1));
                    runStart = null;
                }
            } else if (runStart == null) {
                runStart = date;
            }
        }
        if (runStart != null) {
            addRun(runStart, window.lastDate());
        }
    }

    /** Whether a read of {@code window} may be put together per date (see {@link #AROUND_SKIPPED_DATES}). */
    static boolean perDate(TimeWindow window) {
        for (LocalDate[] around : AROUND_SKIPPED_DATES) {
            if (!window.firstDate().isAfter(around[1]) && !window.lastDate().isBefore(around[0])) {
                return false;
            }
        }
        return true;
    }

    private static List<LocalDate[]> aroundSkippedDates() {
        List<LocalDate[]> skipped = new ArrayList<>();
        for (String id : ZoneId.getAvailableZoneIds()) {
            for (ZoneOffsetTransition transition : ZoneId.of(id).getRules().getTransitions()) {
                LocalDate before = transition.getDateTimeBefore().toLocalDate();
                LocalDate after = transition.getDateTimeAfter().toLocalDate();
                if (after.isAfter(before.plusDays(1)) || after.isAfter(before)
                        && transition.getDateTimeBefore().toLocalTime().equals(LocalTime.MIDNIGHT)) {
                    skipped.add(new LocalDate[] {before.minusDays(1), after.plusDays(1)});
                }
            }
        }
        return List.copyOf(skipped);
    }

    /** Where the rows that may fall on {@code date} (in any clock) start at the earliest. */
    static Instant stretchStart(LocalDate date) {
        return date.atStartOfDay().toInstant(ZoneOffset.UTC).minus(CLOCK_REACH);
    }

    /** Where the rows that may fall on {@code date} (in any clock) start at the latest (exclusive). */
    static Instant stretchEnd(LocalDate date) {
        return date.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).plus(CLOCK_REACH);
    }

    private void addRun(LocalDate first, LocalDate last) {
        runs.add(new Run(first, last, stretchStart(first), stretchEnd(last)));
    }

    List<Run> runs() {
        return runs;
    }

    /** Takes what a read of {@code run}'s rows answered: its dates' points, also kept for later reads. */
    void computed(Run run, List<MetricPoint> answer) {
        Map<LocalDate, List<MetricPoint>> byDate = new HashMap<>();
        for (MetricPoint point : answer) {
            LocalDate date = point.start().toLocalDate();
            if (!date.isBefore(run.first()) && !date.isAfter(run.last())) {
                points.add(point);
                byDate.computeIfAbsent(date, d -> new ArrayList<>()).add(point);
            }
        }
        for (LocalDate date = run.first(); !date.isAfter(run.last()); date = date.plusDays(1)) {
            CachedDay day = known.get(date);
            computed.add(new ComputedDay(date, day == null ? 0 : day.generation(),
                    byDate.getOrDefault(date, List.of())));
        }
    }

    /** The dates computed from rows, with the generations they were read at. */
    List<ComputedDay> toKeep() {
        return computed;
    }

    /** Every point of the read, in the order one read of all the rows gives them. */
    List<MetricPoint> points() {
        MetricBuckets.sort(points);
        return points;
    }
}
