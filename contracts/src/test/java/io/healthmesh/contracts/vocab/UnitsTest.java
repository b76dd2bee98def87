package io.healthmesh.contracts.vocab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

    @ParameterizedTest(name = "{0} {1} = {3} {2}")
    @CsvSource(delimiter = ';', value = {
        "1;          lb;        kg;        0.45359237",
        "172.4;      lb;        kg;        78.199324588",
        "1;          lbs;       kg;        0.45359237",
        "12;         st;        kg;        76.20351816",
        "1;          mi;        m;         1609.344",
        "5;          km;        m;         5000",
        "6;          ft;        m;         1.8288",
        "100;        yd;        m;         91.44",
        "70;         in;        m;         1.778",
        "180;        cm;        m;         1.8",
        "1500;       mm;        m;         1.5",
        "512.3;      Cal;       kcal;      512.3",
        "4184;       kJ;        kcal;      1000",
        "1000;       kcal;      kJ;        4184",
        "98.6;       degF;      degC;      37.0",
        "32;         degF;      degC;      0",
        "-40;        degF;      degC;      -40",
        "37;         degC;      degF;      98.6",
        "37;         °C;        degC;      37",
        "310.15;     K;         degC;      37",
        "180.15588;  mg/dL;     mmol/L;    10",
        "180.156;    mg/dL;     mmol/L;    10.0000067",
        "5.5;        mmol/L;    mg/dL;     99.085734",
        "5.5;        mmol<180.1558800000541>/L; mmol/L; 5.5",
        "5.5;        mmol<180.1558800000541>/L; mg/dL;  99.085734",
        "0.97;       fraction;  %;         97",
        "16.1;       %;         fraction;  0.161",
        "30;         min;       s;         1800",
        "7.5;        h;         s;         27000",
        "7.21667;    hours;     s;         25980.012",
        "1500;       ms;        s;         1.5",
        "0.0425;     s;         ms;        42.5",
        "64;         count/min; bpm;       64",
        "64;         bpm;       count/min; 64",
        "16;         1/min;     count/min; 16",
        "16;         /min;      count/min; 16",
        "1.5;        L;         mL;        1500",
        "8;          fl_oz_us;  mL;        236.5882365",
        "2500;       mg;        g;         2.5",
        "500;        mcg;       mg;        0.5",
        "500;        µg;        mg;        0.5",
        "10;         km/hr;     m/s;       2.7777778",
        "1;          mi/hr;     m/s;       0.44704",
        "1;          kPa;       mmHg;      7.500615758",
        "42.1;       mL/min·kg; mL/kg/min; 42.1",
        "3;          count;     count;     3"
    })
    void convertsBetweenUnitsOfOneDimension(double value, String from, String to, double expected) {
        assertEquals(expected, Units.convert(value, from, to), Math.abs(expected) * 1e-7 + 1e-9);
    }

    @Test
    void exactFactorsStayExact() {
        assertEquals(0.45359237, Units.convert(1, "lb", "kg"), 0.0);
        assertEquals(1200.0, Units.convert(1.2, "g", "mg"), 0.0);
        assertEquals(1609.344, Units.convert(1, "mi", "m"), 0.0);
        assertEquals(37.0, Units.convert(98.6, "degF", "degC"), 1e-12);
        assertEquals(64.0, Units.convert(64, "bpm", "count/min"), 0.0);
    }

    @Test
    void conversionRoundTrips() {
        double pounds = 172.4;
        assertEquals(pounds, Units.convert(Units.convert(pounds, "lb", "kg"), "kg", "lb"), 1e-12);
        assertEquals(98.6, Units.convert(Units.convert(98.6, "degF", "degC"), "degC", "degF"), 1e-12);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "kg;        m",
        "%;         kcal",
        "count;     count/min",
        "degC;      fraction",
        "mmol/L;    mg",
        "s;         yr",
        "mL;        g",
        "m/s;       m"
    })
    void refusesUnitsOfDifferentDimensions(String from, String to) {
        UnitConversionException e = assertThrows(UnitConversionException.class, () -> Units.convert(1, from, to));

        assertTrue(e.getMessage().contains(from) && e.getMessage().contains(to), e.getMessage());
        assertFalse(Units.convertible(from, to));
    }

    @ParameterizedTest
    @ValueSource(strings = {"furlong", "cal", "KG", "", "C", "IU", "units"})
    void refusesUnknownUnits(String unit) {
        assertEquals(Optional.empty(), Units.canonicalUnitCode(unit));
        UnitConversionException e =
                assertThrows(UnitConversionException.class, () -> Units.convert(1, unit, "kg"));
        assertTrue(e.getMessage().contains("unknown unit"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = ';', value = {
        "Cal;                        kcal",
        "kcal;                       kcal",
        "kJ;                         kJ",
        "lbs;                        lb",
        "lb;                         lb",
        "°C;                         degC",
        "°F;                         degF",
        "mmol<180.1558800000541>/L;  mmol/L",
        "mmol<180.15588>/L;          mmol/L",
        "mg/dL;                      mg/dL",
        "bpm;                        count/min",
        "1/min;                      count/min",
        "/min;                       count/min",
        "µg;                         mcg",
        "μg;                         mcg",
        "hr;                         h",
        "hours;                      h",
        "ml;                         mL",
        "fl_oz_us;                   fl_oz_us",
        "km/h;                       km/hr",
        "mph;                        mi/hr",
        "mL/min·kg;                  mL/min·kg",
        "mL/kg/min;                  mL/min·kg",
        "years;                      yr",
        "dBASPL;                     dBASPL",
        "W;                          W",
        "' kg ';                     kg"
    })
    void normalizesAliases(String raw, String canonical) {
        assertEquals(Optional.of(canonical), Units.canonicalUnitCode(raw));
    }

    @Test
    void nullIsNoUnit() {
        assertEquals(Optional.empty(), Units.canonicalUnitCode(null));
        assertFalse(Units.isKnown(null));
    }

    @Test
    void everyCanonicalCodeIsItsOwnCanonicalForm() {
        for (String code : Units.canonicalCodes()) {
            assertEquals(Optional.of(code), Units.canonicalUnitCode(code), code);
        }
    }

    @Test
    void differencesIgnoreTemperatureOffsets() {
        assertEquals(1.0, Units.convertDifference(1.8, "degF", "degC"), 1e-12);
        assertEquals(-0.5, Units.convertDifference(-0.9, "degF", "degC"), 1e-12);
        assertEquals(1000.0, Units.convertDifference(1, "kg", "g"), 0.0);
        assertThrows(UnitConversionException.class, () -> Units.convertDifference(1, "degF", "kg"));
    }

    @Test
    void dimensionsAreReported() {
        assertEquals(Optional.of(Dimension.GLUCOSE_CONCENTRATION), Units.dimensionOf("mmol<180.1558800000541>/L"));
        assertEquals(Optional.of(Dimension.RATE), Units.dimensionOf("bpm"));
        assertEquals(Optional.of(Dimension.RATIO), Units.dimensionOf("fraction"));
        assertEquals(Optional.empty(), Units.dimensionOf("furlong"));
    }

    @Test
    void conversionToCanonicalUsesTheMetricsUnit() {
        Metric bodyMass = Vocabulary.metric("body_mass").orElseThrow();
        Metric deviation = Vocabulary.metric("body_temperature_deviation").orElseThrow();
        Metric bodyTemperature = Vocabulary.metric("body_temperature").orElseThrow();

        assertEquals(78.199324588, Conversion.toCanonical(bodyMass, 172.4, "lb"), 1e-9);
        assertEquals(0.5, Conversion.toCanonical(deviation, 0.9, "degF"), 1e-12);
        assertEquals(37.0, Conversion.toCanonical(bodyTemperature, 98.6, "degF"), 1e-12);
        assertThrows(UnitConversionException.class, () -> Conversion.toCanonical(bodyMass, 1, "m"));
    }
}
