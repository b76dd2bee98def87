package io.healthmesh.imports.csv;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Header names: finding a mapping's column, normalizing names, the unit in a name's last bracket. */
final class CsvColumns {

    /** {@link #resolve} when no header cell has the name. */
    static final int MISSING = -1;
    /** {@link #resolve} when several header cells have the name. */
    static final int AMBIGUOUS = -2;

    private static final Pattern LAST_BRACKET = Pattern.compile("^(.*?)\\s*\\(([^()]*)\\)\\s*$", Pattern.DOTALL);
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private CsvColumns() {
    }

    /**
     * The index of the column a mapping names: a header cell equal to the name (both trimmed), or whose
     * {@link CsvCells#safe} form equals it (the form a client was shown). {@link #MISSING} or
     * {@link #AMBIGUOUS} otherwise.
     */
    static int resolve(List<String> header, String name) {
        if (name == null) {
            return MISSING;
        }
        String wanted = name.trim();
        int found = MISSING;
        for (int i = 0; i < header.size(); i++) {
            String cell = header.get(i) == null ? "" : header.get(i).trim();
            if (cell.equals(wanted) || CsvCells.safe(cell).equals(wanted)) {
                if (found != MISSING) {
                    return AMBIGUOUS;
                }
                found = i;
            }
        }
        return found;
    }

    /** How many header cells {@link #resolve} would match. */
    static int count(List<String> header, String name) {
        String wanted = name.trim();
        int count = 0;
        for (String raw : header) {
            String cell = raw == null ? "" : raw.trim();
            if (cell.equals(wanted) || CsvCells.safe(cell).equals(wanted)) {
                count++;
            }
        }
        return count;
    }

    /** Lowercase, trimmed, inner whitespace collapsed to one space, a stray byte order mark removed. */
    static String normalize(String name) {
        if (name == null) {
            return "";
        }
        String s = name.replace("\uFEFF", "").trim();
        return SPACES.matcher(s).replaceAll(" ").toLowerCase(Locale.ROOT);
    }

    /** The text in the name's last bracket at its end ({@code B12 (Cobalamin) (µg)} gives {@code µg}), or null. */
    static String bracketUnit(String name) {
        if (name == null) {
            return null;
        }
        Matcher matcher = LAST_BRACKET.matcher(name.trim());
        if (!matcher.matches()) {
            return null;
        }
        String unit = matcher.group(2).trim();
        return unit.isEmpty() ? null : unit;
    }

    /** The name without its last bracket ({@code B12 (Cobalamin) (µg)} gives {@code B12 (Cobalamin)}). */
    static String withoutBracket(String name) {
        if (name == null) {
            return "";
        }
        Matcher matcher = LAST_BRACKET.matcher(name.trim());
        return matcher.matches() ? matcher.group(1).trim() : name.trim();
    }

    /**
     * The cell without one layer of literal quotes around all of it ({@code "Walking, 3.5 mph"} loses its
     * quotes); a cell with further quotes inside ({@code "a" or "b"}) stays as it is.
     */
    static String stripOneQuoteLayer(String cell) {
        if (cell.length() >= 2 && cell.charAt(0) == '"' && cell.charAt(cell.length() - 1) == '"') {
            String inner = cell.substring(1, cell.length() - 1);
            if (inner.indexOf('"') < 0) {
                return inner;
            }
        }
        return cell;
    }
}
