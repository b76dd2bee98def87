package io.healthmesh.demo;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.source.Topics;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What a MyFitnessPal Nutrition-Summary CSV import would publish: per day and meal, energy and
 * the three macronutrients. The file has dates but no times, so each value is an amount covering
 * the whole local date (midnight to midnight), and a day's meals add up.
 */
final class MyFitnessPalDemo {

    static final String PRESET = "myfitnesspal";

    static final String CALORIES = "Calories";
    static final String PROTEIN = "Protein (g)";
    static final String CARBOHYDRATES = "Carbohydrates (g)";
    static final String FAT = "Fat (g)";

    /** The import runs after the day is over. */
    private static final Duration IMPORT_DELAY = Duration.ofMinutes(5);

    /** Grams of protein, carbohydrate and fat a meal ranges between. */
    private record Meal(String name, double proteinMin, double proteinMax, double carbsMin, double carbsMax,
            double fatMin, double fatMax) {
    }

    private static final List<Meal> MEALS = List.of(
            new Meal("Breakfast", 14, 26, 40, 66, 8, 18),
            new Meal("Lunch", 25, 40, 55, 85, 15, 28),
            new Meal("Dinner", 28, 46, 50, 80, 18, 32),
            new Meal("Snacks", 3, 10, 15, 35, 5, 14));

    private MyFitnessPalDemo() {
    }

    static List<DemoEvent> day(String userId, LocalDate date) {
        DayRandom random = DayRandom.of(date, SourceId.MYFITNESSPAL);
        OffsetDateTime start = DemoTime.startOfDay(date);
        OffsetDateTime end = DemoTime.startOfDay(date.plusDays(1));
        List<DemoEvent> events = new ArrayList<>();
        for (Meal meal : MEALS) {
            // Some days have no snacks logged: the row is simply absent from the file.
            if (meal.name().equals("Snacks") && !random.chance(0.6)) {
                continue;
            }
            double protein = DayRandom.round(random.between(meal.proteinMin(), meal.proteinMax()), 1);
            double carbs = DayRandom.round(random.between(meal.carbsMin(), meal.carbsMax()), 1);
            double fat = DayRandom.round(random.between(meal.fatMin(), meal.fatMax()), 1);
            double calories = Math.round(4 * protein + 4 * carbs + 9 * fat);
            events.add(reading(userId, date, meal, CALORIES, "dietary_energy", calories, "kcal", start, end));
            events.add(reading(userId, date, meal, PROTEIN, "protein", protein, "g", start, end));
            events.add(reading(userId, date, meal, CARBOHYDRATES, "carbohydrate", carbs, "g", start, end));
            events.add(reading(userId, date, meal, FAT, "fat_total", fat, "g", start, end));
        }
        return events;
    }

    private static DemoEvent reading(String userId, LocalDate date, Meal meal, String column, String metric,
            double value, String unit, OffsetDateTime start, OffsetDateTime end) {
        Reading reading = Reading.builder()
                .sourceRecordId(Identity.csvSourceRecordId(PRESET, date.toString(), "", List.of(meal.name()), 0,
                        column))
                .metric(metric)
                .value(value)
                .unit(unit)
                .aggregation(Aggregation.CUMULATIVE)
                .start(start)
                .end(end)
                .zone(DemoTime.HOME_ZONE_ID)
                .build();
        return new DemoEvent(Topics.RAW_CSV, Envelope.reading(userId, SourceId.MYFITNESSPAL, reading,
                DemoTime.emittedAfter(end, IMPORT_DELAY)));
    }
}
