package io.healthmesh.connector.provider.standard;

import java.util.regex.Pattern;

/** Provider texts fit for an exception message and a log line: anything token-like removed, shortened. */
final class SafeText {

    // Tokens, codes and secrets are long runs of base64url or hex; provider error texts sometimes quote them.
    private static final Pattern TOKEN_LIKE = Pattern.compile("[A-Za-z0-9_\\-.~+/=]{20,}");
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z0-9_.\\-]{1,64}", Pattern.CASE_INSENSITIVE);
    private static final int MAX_LENGTH = 200;

    private SafeText() {
    }

    /** A free text ({@code error_description}): token-like runs redacted, control characters dropped, cut; null if blank. */
    static String of(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String safe = TOKEN_LIKE.matcher(text.strip()).replaceAll("[redacted]").replaceAll("\\p{Cntrl}", " ");
        return safe.length() <= MAX_LENGTH ? safe : safe.substring(0, MAX_LENGTH) + "...";
    }

    /** An OAuth2 error code ({@code invalid_grant}) only when it looks like one; null otherwise. */
    static String errorCode(String code) {
        return code != null && ERROR_CODE.matcher(code).matches() ? code : null;
    }
}
