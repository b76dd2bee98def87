package io.healthmesh.demo;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/**
 * What the demo user's day was like, shared by every source so that they tell one consistent
 * story: the ring and the watch see the same active day, the same night.
 *
 * @param date the local date (Paris)
 * @param activity how active the day was, about 0.75 (lazy) to 1.3 (busy); scales steps everywhere
 * @param bedtime when the night ending on this date began (the evening before)
 * @param wake when that night ended, this morning
 * @param restingHeartRate the night's lowest heart rate, beats per minute
 * @param workday false on weekends, which have no commute and a longer walk instead
 */
record DayProfile(LocalDate date, double activity, OffsetDateTime bedtime, OffsetDateTime wake,
        int restingHeartRate, boolean workday) {

    static DayProfile of(LocalDate date) {
        DayRandom random = DayRandom.of(date, "profile");
        boolean workday = date.getDayOfWeek() != DayOfWeek.SATURDAY && date.getDayOfWeek() != DayOfWeek.SUNDAY;
        double activity = random.between(0.75, 1.3);
        LocalTime bedtime = LocalTime.of(22, 35).plusMinutes(random.between(0, 70));
        LocalTime wake = LocalTime.of(6, 25).plusMinutes(random.between(0, 50) + (workday ? 0 : 45));
        int restingHeartRate = random.between(50, 57);
        return new DayProfile(date, activity, DemoTime.local(date.minusDays(1), bedtime),
                DemoTime.local(date, wake), restingHeartRate, workday);
    }
}
