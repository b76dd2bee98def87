package io.healthmesh.contracts.vocab;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Units as canonical code strings, the aliases sources write for them, and exact conversions.
 *
 * <p>Canonical codes follow Apple HealthKit's spelling where one exists ({@code count/min},
 * {@code degC}, {@code mL/min·kg}), since Apple is the widest source. Lookup is exact and
 * case-sensitive, because case carries meaning: {@code Cal} (capital C) is the kilocalorie in
 * Apple exports, while a lowercase {@code cal} is ambiguous across sources (WHOOP labels kcal as
 * "cal") and is therefore not accepted: the importer that knows its source maps it.
 *
 * <p>Percent and fraction are different units: {@code %} is always 0-100 and {@code fraction}
 * 0-1 (importers send Apple's fraction-valued {@code %} as {@code fraction}).
 */
public final class Units {

    public static final String KILOGRAM = "kg";
    public static final String METRE = "m";
    public static final String KILOCALORIE = "kcal";
    public static final String DEGREE_CELSIUS = "degC";
    public static final String MILLIMOLE_PER_LITRE = "mmol/L";
    public static final String MILLIGRAM_PER_DECILITRE = "mg/dL";
    public static final String PERCENT = "%";
    public static final String FRACTION = "fraction";
    public static final String SECOND = "s";
    public static final String MINUTE = "min";
    public static final String MILLISECOND = "ms";
    /** Beats or breaths per minute; {@code bpm} and {@code 1/min} are aliases. */
    public static final String COUNT_PER_MINUTE = "count/min";
    public static final String COUNT = "count";
    public static final String MILLIMETRE_OF_MERCURY = "mmHg";
    public static final String MILLILITRE = "mL";
    public static final String GRAM = "g";
    public static final String MILLIGRAM = "mg";
    public static final String METRE_PER_SECOND = "m/s";
    /** Written with U+00B7 MIDDLE DOT, as Apple does. */
    public static final String VO2_MAX = "mL/min\u00B7kg";
    public static final String YEAR = "yr";

    /** mg/dL per mmol/L: glucose's molar mass 180.15588 g/mol, the value Apple embeds in its unit string. */
    public static final double GLUCOSE_MG_PER_DL_PER_MMOL_PER_L = 18.015588;

    private static final double POUND_IN_KG = 0.45359237;
    private static final double MILE_IN_M = 1609.344;
    private static final double MMHG_IN_PA = 133.322387415;

    // Apple writes blood glucose as "mmol<180.1558800000541>/L": mmol/L with glucose's molar mass inside.
    private static final Pattern APPLE_MOLAR_GLUCOSE = Pattern.compile("mmol<\\d+(?:\\.\\d+)?>/L");

    private static final Map<String, UnitDefinition> DEFINITIONS = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = new HashMap<>();

    static {
        define(KILOGRAM, Dimension.MASS, 1, 1);
        define(GRAM, Dimension.MASS, 1, 1_000);
        define(MILLIGRAM, Dimension.MASS, 1, 1_000_000);
        define("mcg", Dimension.MASS, 1, 1_000_000_000);
        define("lb", Dimension.MASS, POUND_IN_KG, 1);
        define("st", Dimension.MASS, 14 * POUND_IN_KG, 1);
        define("oz", Dimension.MASS, POUND_IN_KG, 16);
        alias(KILOGRAM, "kilogram", "kilograms", "kgs");
        alias(GRAM, "gram", "grams");
        alias(MILLIGRAM, "milligram", "milligrams");
        alias("mcg", "\u00B5g", "\u03BCg", "ug", "microgram", "micrograms");
        alias("lb", "lbs", "pound", "pounds");
        alias("st", "stone", "stones");
        alias("oz", "ounce", "ounces");

        define(METRE, Dimension.LENGTH, 1, 1);
        define("km", Dimension.LENGTH, 1_000, 1);
        define("cm", Dimension.LENGTH, 1, 100);
        define("mm", Dimension.LENGTH, 1, 1_000);
        define("mi", Dimension.LENGTH, MILE_IN_M, 1);
        define("ft", Dimension.LENGTH, 0.3048, 1);
        define("yd", Dimension.LENGTH, 0.9144, 1);
        define("in", Dimension.LENGTH, 0.0254, 1);
        alias(METRE, "meter", "meters", "metre", "metres");
        alias("km", "kilometer", "kilometers", "kilometre", "kilometres");
        alias("mi", "mile", "miles");
        alias("ft", "foot", "feet");
        alias("yd", "yard", "yards");
        alias("in", "inch", "inches");

        define(KILOCALORIE, Dimension.ENERGY, 1, 1);
        define("kJ", Dimension.ENERGY, 1, 4.184);
        alias(KILOCALORIE, "Cal", "Kcal", "kilocalorie", "kilocalories");
        alias("kJ", "kj", "kilojoule", "kilojoules");

        define(DEGREE_CELSIUS, Dimension.TEMPERATURE, 1, 1, 0);
        define("degF", Dimension.TEMPERATURE, 5, 9, -32);
        define("K", Dimension.TEMPERATURE, 1, 1, -273.15);
        alias(DEGREE_CELSIUS, "\u00B0C", "\u2103", "celsius", "Celsius");
        alias("degF", "\u00B0F", "\u2109", "fahrenheit", "Fahrenheit");

        define(MILLIMOLE_PER_LITRE, Dimension.GLUCOSE_CONCENTRATION, 1, 1);
        define(MILLIGRAM_PER_DECILITRE, Dimension.GLUCOSE_CONCENTRATION, 1, GLUCOSE_MG_PER_DL_PER_MMOL_PER_L);
        alias(MILLIMOLE_PER_LITRE, "mmol/l");
        alias(MILLIGRAM_PER_DECILITRE, "mg/dl");

        define(PERCENT, Dimension.RATIO, 1, 1);
        define(FRACTION, Dimension.RATIO, 100, 1);
        alias(PERCENT, "percent");

        define(SECOND, Dimension.DURATION, 1, 1);
        define(MILLISECOND, Dimension.DURATION, 1, 1_000);
        define(MINUTE, Dimension.DURATION, 60, 1);
        define("h", Dimension.DURATION, 3_600, 1);
        define("d", Dimension.DURATION, 86_400, 1);
        alias(SECOND, "sec", "secs", "second", "seconds");
        alias(MILLISECOND, "msec", "millisecond", "milliseconds");
        alias(MINUTE, "mins", "minute", "minutes");
        alias("h", "hr", "hrs", "hour", "hours");
        alias("d", "day", "days");

        define(COUNT_PER_MINUTE, Dimension.RATE, 1, 1);
        define("count/s", Dimension.RATE, 60, 1);
        alias(COUNT_PER_MINUTE, "bpm", "1/min", "/min", "beats/min", "breaths/min", "rpm");

        define(COUNT, Dimension.COUNT, 1, 1);

        define(MILLIMETRE_OF_MERCURY, Dimension.PRESSURE, 1, 1);
        define("kPa", Dimension.PRESSURE, 1_000, MMHG_IN_PA);
        alias(MILLIMETRE_OF_MERCURY, "mm Hg", "mmhg");

        define(MILLILITRE, Dimension.VOLUME, 1, 1);
        define("L", Dimension.VOLUME, 1_000, 1);
        define("fl_oz_us", Dimension.VOLUME, 29.5735295625, 1);
        alias(MILLILITRE, "ml", "millilitre", "millilitres", "milliliter", "milliliters");
        alias("L", "l", "litre", "litres", "liter", "liters");

        define(METRE_PER_SECOND, Dimension.SPEED, 1, 1);
        define("km/hr", Dimension.SPEED, 1_000, 3_600);
        define("mi/hr", Dimension.SPEED, MILE_IN_M, 3_600);
        alias("km/hr", "km/h", "kph");
        alias("mi/hr", "mph");

        define(VO2_MAX, Dimension.OXYGEN_UPTAKE, 1, 1);
        alias(VO2_MAX, "mL/(kg\u00B7min)", "mL/kg/min", "ml/kg/min", "mL/min/kg", "ml/min/kg", "mL/min*kg");

        define("dBASPL", Dimension.SOUND_LEVEL, 1, 1);

        define("W", Dimension.POWER, 1, 1);

        define(YEAR, Dimension.AGE, 1, 1);
        alias(YEAR, "year", "years");
    }

    private Units() {
    }

    /**
     * The canonical code for a unit as a source wrote it (surrounding blanks ignored), or empty if
     * the unit is unknown.
     */
    public static Optional<String> canonicalUnitCode(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String unit = raw.trim();
        if (DEFINITIONS.containsKey(unit)) {
            return Optional.of(unit);
        }
        String aliased = ALIASES.get(unit);
        if (aliased != null) {
            return Optional.of(aliased);
        }
        if (APPLE_MOLAR_GLUCOSE.matcher(unit).matches()) {
            return Optional.of(MILLIMOLE_PER_LITRE);
        }
        return Optional.empty();
    }

    public static boolean isKnown(String raw) {
        return canonicalUnitCode(raw).isPresent();
    }

    public static Optional<Dimension> dimensionOf(String raw) {
        return canonicalUnitCode(raw).map(code -> DEFINITIONS.get(code).dimension());
    }

    /** Every canonical unit code. */
    public static Set<String> canonicalCodes() {
        return Collections.unmodifiableSet(DEFINITIONS.keySet());
    }

    /** True when both units are known and of one dimension. */
    public static boolean convertible(String fromUnit, String toUnit) {
        Optional<Dimension> from = dimensionOf(fromUnit);
        return from.isPresent() && from.equals(dimensionOf(toUnit));
    }

    /**
     * Converts an absolute value, offsets included (98.6 degF is 37 degC).
     *
     * @throws UnitConversionException if a unit is unknown or the dimensions differ
     */
    public static double convert(double value, String fromUnit, String toUnit) {
        return convert(value, fromUnit, toUnit, true);
    }

    /**
     * Converts a difference between two values, where scale offsets cancel out: a deviation of
     * 1.8 degF is 1 degC. Equal to {@link #convert} for units without an offset.
     *
     * @throws UnitConversionException if a unit is unknown or the dimensions differ
     */
    public static double convertDifference(double value, String fromUnit, String toUnit) {
        return convert(value, fromUnit, toUnit, false);
    }

    private static double convert(double value, String fromUnit, String toUnit, boolean applyOffsets) {
        UnitDefinition from = definition(fromUnit);
        UnitDefinition to = definition(toUnit);
        if (from.dimension() != to.dimension()) {
            throw new UnitConversionException("cannot convert " + fromUnit + " (" + dimensionName(from)
                    + ") to " + toUnit + " (" + dimensionName(to) + ")");
        }
        if (from == to) {
            return value;
        }
        if (!applyOffsets || (from.offset() == 0 && to.offset() == 0)) {
            // One multiplication and one division keep exact factors exact (1.2 g is 1200 mg, not 1200.0000000000002).
            return value * (from.numerator() * to.denominator()) / (from.denominator() * to.numerator());
        }
        double base = (value + from.offset()) * from.numerator() / from.denominator();
        return base * to.denominator() / to.numerator() - to.offset();
    }

    private static UnitDefinition definition(String raw) {
        return canonicalUnitCode(raw)
                .map(DEFINITIONS::get)
                .orElseThrow(() -> new UnitConversionException("unknown unit '" + raw + "'"));
    }

    private static String dimensionName(UnitDefinition definition) {
        return definition.dimension().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static void define(String code, Dimension dimension, double numerator, double denominator) {
        define(code, dimension, numerator, denominator, 0);
    }

    private static void define(String code, Dimension dimension, double numerator, double denominator,
            double offset) {
        DEFINITIONS.put(code, new UnitDefinition(dimension, numerator, denominator, offset));
    }

    private static void alias(String code, String... aliases) {
        for (String alias : aliases) {
            ALIASES.put(alias, code);
        }
    }

    /**
     * A unit relative to its dimension's base unit: {@code base = (value + offset) * numerator /
     * denominator}. Factors are kept as a ratio so that exact definitions (1 kJ = 1/4.184 kcal) stay exact.
     */
    private record UnitDefinition(Dimension dimension, double numerator, double denominator, double offset) {
    }
}
