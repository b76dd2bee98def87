package io.healthmesh.imports.apple;

/** Decimal values as Apple writes them: a '.' separator, never a comma, never NaN or Infinity. */
final class AppleNumbers {

    private static final int MAX_LENGTH = 64;
    /**
     * Up to 15 digits fit a double's 53-bit mantissa exactly, and powers of ten up to 10^22 are exact
     * doubles: one division of the two is then correctly rounded, the very double parseDouble answers
     * (Clinger's fast path).
     */
    private static final int MAX_EXACT_DIGITS = 15;
    private static final double[] POWERS_OF_TEN = new double[MAX_EXACT_DIGITS + 1];

    static {
        double power = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    private AppleNumbers() {
    }

    /**
     * The value, or NaN when the text is not a plain decimal number; checked by hand first so a bad
     * value costs no exception on a path that runs millions of times.
     */
    static double parse(String text) {
        double plain = parsePlain(text);
        if (!Double.isNaN(plain)) {
            return plain;
        }
        if (!isDecimal(text)) {
            return Double.NaN;
        }
        return Double.parseDouble(text);
    }

    /**
     * A plain {@code [sign]digits[.digits]} of at most 15 digits without parseDouble's general
     * machinery, which costs more than the rest of a value's mapping; NaN for anything else (then
     * checked and parsed the general way).
     */
    private static double parsePlain(String s) {
        int length = s.length();
        if (length == 0 || length > MAX_EXACT_DIGITS + 2) {
            return Double.NaN;
        }
        int i = 0;
        char first = s.charAt(0);
        boolean negative = first == '-';
        if (negative || first == '+') {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fractionDigits = 0;
        boolean dot = false;
        for (; i < length; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                digits++;
                if (dot) {
                    fractionDigits++;
                }
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return Double.NaN;
            }
        }
        if (digits == 0 || digits > MAX_EXACT_DIGITS) {
            return Double.NaN;
        }
        double value = (double) mantissa / POWERS_OF_TEN[fractionDigits];
        // -0 stays -0.0, as parseDouble has it.
        return negative ? -value : value;
    }

    static boolean hasDecimalComma(String text) {
        return text.indexOf(',') >= 0;
    }

    private static boolean isDecimal(String s) {
        int length = s.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        int i = 0;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            i++;
        }
        int mantissaDigits = 0;
        boolean dot = false;
        for (; i < length; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                mantissaDigits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (mantissaDigits == 0) {
            return false;
        }
        if (i == length) {
            return true;
        }
        char e = s.charAt(i);
        if (e != 'e' && e != 'E') {
            return false;
        }
        i++;
        if (i < length && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        if (i == length) {
            return false;
        }
        for (; i < length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
