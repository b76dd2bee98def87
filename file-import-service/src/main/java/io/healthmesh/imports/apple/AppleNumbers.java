package io.healthmesh.imports.apple;

/** Decimal values as Apple writes them: a '.' separator, never a comma, never NaN or Infinity. */
final class AppleNumbers {

    private static final int MAX_LENGTH = 64;

    private AppleNumbers() {
    }

    /**
     * The value, or NaN when the text is not a plain decimal number; checked by hand first so a bad
     * value costs no exception on a path that runs millions of times.
     */
    static double parse(String text) {
        if (!isDecimal(text)) {
            return Double.NaN;
        }
        return Double.parseDouble(text);
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
