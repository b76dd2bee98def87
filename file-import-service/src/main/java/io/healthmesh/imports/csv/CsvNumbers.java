package io.healthmesh.imports.csv;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Numbers as a file writes them, in its dialect: a '.' or ',' decimal separator; with a ','
 * delimiter and '.' decimals, thousands separators as in {@code "1,000.0"} (such a cell must have been
 * quoted). Anything else is not a number: no smart guessing between separators.
 */
final class CsvNumbers {

    /** What a cell turned out to be. */
    enum Kind { NUMBER, NOT_A_NUMBER, NOT_FINITE }

    record Parsed(Kind kind, double value) {
    }

    private static final int MAX_LENGTH = 64;
    private static final Pattern DOT_DECIMAL =
            Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d{1,4})?");
    private static final Pattern COMMA_DECIMAL = Pattern.compile("[+-]?(?:\\d+(?:,\\d*)?|,\\d+)");
    private static final Pattern GROUPED = Pattern.compile("[+-]?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?");
    private static final Pattern NON_FINITE =
            Pattern.compile("[+-]?(?:nan|inf|infinity|\u221e)", Pattern.CASE_INSENSITIVE);

    private CsvNumbers() {
    }

    /** Parses a trimmed, non-blank cell. */
    static Parsed parse(String text, CsvDialect dialect) {
        if (text.length() > MAX_LENGTH) {
            return new Parsed(Kind.NOT_A_NUMBER, Double.NaN);
        }
        if (NON_FINITE.matcher(text).matches()) {
            return new Parsed(Kind.NOT_FINITE, Double.NaN);
        }
        String normalized = null;
        if (dialect.decimalSeparator() == ',') {
            if (COMMA_DECIMAL.matcher(text).matches()) {
                normalized = text.replace(',', '.');
            }
        } else if (DOT_DECIMAL.matcher(text).matches()) {
            normalized = text;
        } else if (dialect.delimiter() == ',' && GROUPED.matcher(text).matches()) {
            normalized = text.replace(",", "");
        }
        if (normalized == null) {
            return new Parsed(Kind.NOT_A_NUMBER, Double.NaN);
        }
        double value = Double.parseDouble(normalized);
        if (!Double.isFinite(value)) {
            return new Parsed(Kind.NOT_FINITE, value);
        }
        return new Parsed(Kind.NUMBER, value);
    }

    /** True when the text reads as a number in either separator (sniffing a column's content). */
    static boolean looksNumeric(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return !t.isEmpty() && t.length() <= MAX_LENGTH
                && (DOT_DECIMAL.matcher(t).matches() || COMMA_DECIMAL.matcher(t).matches()
                        || GROUPED.matcher(t).matches());
    }
}
