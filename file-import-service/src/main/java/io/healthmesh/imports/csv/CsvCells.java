package io.healthmesh.imports.csv;

import java.util.regex.Pattern;

/** Cell text on its way back to a client. */
public final class CsvCells {

    // A number a spreadsheet shows as a number, whatever its sign: -5, -3.2, +1e3, -3,2.
    private static final Pattern PLAIN_NUMBER =
            Pattern.compile("[+-]?(?:\\d+(?:[.,]\\d+)?|[.,]\\d+)(?:[eE][+-]?\\d+)?");
    private static final char ELLIPSIS = '\u2026';

    private CsvCells() {
    }

    /**
     * Cell text made safe to echo (preview rows, header, mapping suggestions, error details): a cell a
     * spreadsheet would run as a formula, one starting with {@code = + - @}, a tab or a carriage return,
     * gets a leading apostrophe, unless it is a plain number such as {@code -5} or {@code -3.2}; then text
     * longer than {@value CsvLimits#MAX_ECHO_CHARS} characters is cut to that length, ending in an
     * ellipsis. Idempotent: {@code safe(safe(x)).equals(safe(x))}. Null stays null.
     */
    public static String safe(String cell) {
        if (cell == null) {
            return null;
        }
        String text = isFormulaLike(cell) ? "'" + cell : cell;
        return cap(text);
    }

    static boolean isFormulaLike(String cell) {
        if (cell.isEmpty()) {
            return false;
        }
        char first = cell.charAt(0);
        boolean trigger = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t'
                || first == '\r';
        return trigger && !PLAIN_NUMBER.matcher(cell).matches();
    }

    private static String cap(String text) {
        int max = CsvLimits.MAX_ECHO_CHARS;
        if (text.length() <= max) {
            return text;
        }
        int cut = max - 1;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + ELLIPSIS;
    }
}
