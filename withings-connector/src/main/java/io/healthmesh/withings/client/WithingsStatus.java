package io.healthmesh.withings.client;

import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import java.time.Duration;
import java.util.BitSet;
import java.util.regex.Pattern;

/**
 * Withings' body {@code status} codes, grouped in the families of the official "Response status"
 * table (shared/refs/withings-api.md section 3, the grouping both maintained Python clients use),
 * and what each family means for the kit. Withings answers errors with HTTP 200, so this decides.
 */
public final class WithingsStatus {

    /** The families of the status table; {@link #UNKNOWN} for a code in none of them. */
    public enum Family {
        SUCCESS("success"),
        AUTHENTICATION_FAILED("authentication failed"),
        INVALID_PARAMS("invalid params"),
        UNAUTHORIZED("unauthorized"),
        NOT_IMPLEMENTED("not implemented"),
        TIMEOUT("timeout"),
        BAD_STATE("bad state"),
        TOO_MANY_REQUESTS("too many requests"),
        ERROR_OCCURRED("an error occurred"),
        UNKNOWN("unknown status");

        private final String label;

        Family(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final BitSet AUTHENTICATION_FAILED = codes("100-102,200,401");
    private static final BitSet INVALID_PARAMS = codes("201-213,216-218,220-221,223,225,227-230,234-236,238,"
            + "240-252,254,260-267,271-272,275-276,283-288,290,293-295,297,300-304,321,323-353,380-382,400,"
            + "501-511,523,532,3017-3019");
    private static final BitSet UNAUTHORIZED = codes("214,277,2553,2555");
    private static final BitSet ERROR_OCCURRED = codes("215,219,222,224,226,231-233,237,253,255-259,268-270,"
            + "273-274,278-282,289,291-292,296,298,305-320,322,370-375,383,391,402,516-521,525-531,533,602,700,"
            + "1051-1054,2551-2552,2556-2559,3000-3016,3020-3024,5000-5006,6000,6010-6011,9000,10000");

    // Anything token-like (hex or base64url runs) is cut out of provider error texts before they reach a message.
    private static final Pattern TOKEN_LIKE = Pattern.compile("[A-Za-z0-9_\\-]{20,}");
    private static final int MAX_ERROR_TEXT = 200;

    private WithingsStatus() {
    }

    public static Family family(int status) {
        if (status == 0) {
            return Family.SUCCESS;
        }
        if (status == 601) {
            return Family.TOO_MANY_REQUESTS;
        }
        if (status == 522) {
            return Family.TIMEOUT;
        }
        if (status == 524) {
            return Family.BAD_STATE;
        }
        if (status == 2554) {
            return Family.NOT_IMPLEMENTED;
        }
        if (status < 0) {
            return Family.UNKNOWN;
        }
        if (AUTHENTICATION_FAILED.get(status)) {
            return Family.AUTHENTICATION_FAILED;
        }
        if (INVALID_PARAMS.get(status)) {
            return Family.INVALID_PARAMS;
        }
        if (UNAUTHORIZED.get(status)) {
            return Family.UNAUTHORIZED;
        }
        if (ERROR_OCCURRED.get(status)) {
            return Family.ERROR_OCCURRED;
        }
        return Family.UNKNOWN;
    }

    /**
     * The failure of a data or notify call made with a user's access token: authentication failed
     * (401 and its family) is {@link Kind#TOKEN_INVALID} (refresh once, retry), unauthorized is
     * {@link Kind#FORBIDDEN} (scope or plan), 601 {@link Kind#RATE_LIMITED} (with {@code wait_seconds}),
     * timeout, bad state and "an error occurred" {@link Kind#UNAVAILABLE} (the table says retry),
     * invalid params, not implemented and unknown codes {@link Kind#FAILED}.
     */
    public static ProviderException forApiCall(String operation, WithingsResponse response) {
        Family family = family(response.status());
        Kind kind = switch (family) {
            case AUTHENTICATION_FAILED -> Kind.TOKEN_INVALID;
            case UNAUTHORIZED -> Kind.FORBIDDEN;
            case TOO_MANY_REQUESTS -> Kind.RATE_LIMITED;
            case TIMEOUT, BAD_STATE, ERROR_OCCURRED -> Kind.UNAVAILABLE;
            case SUCCESS, INVALID_PARAMS, NOT_IMPLEMENTED, UNKNOWN -> Kind.FAILED;
        };
        return exception(kind, operation, response, family);
    }

    /**
     * The failure of the token endpoint (code exchange or refresh): Withings refuses a stale, used
     * or foreign code or refresh token with a non-zero status, documented as 503 (invalid params)
     * for a bad code, so authentication failed and invalid params are {@link Kind#GRANT_REFUSED};
     * 601 is {@link Kind#RATE_LIMITED}; timeout, bad state and "an error occurred"
     * {@link Kind#UNAVAILABLE}; the rest {@link Kind#FAILED}.
     */
    public static ProviderException forTokenEndpoint(String operation, WithingsResponse response) {
        Family family = family(response.status());
        Kind kind = switch (family) {
            case AUTHENTICATION_FAILED, INVALID_PARAMS -> Kind.GRANT_REFUSED;
            case TOO_MANY_REQUESTS -> Kind.RATE_LIMITED;
            case TIMEOUT, BAD_STATE, ERROR_OCCURRED -> Kind.UNAVAILABLE;
            case SUCCESS, UNAUTHORIZED, NOT_IMPLEMENTED, UNKNOWN -> Kind.FAILED;
        };
        return exception(kind, operation, response, family);
    }

    private static ProviderException exception(Kind kind, String operation, WithingsResponse response,
            Family family) {
        StringBuilder message = new StringBuilder("Withings ").append(operation).append(" answered status ")
                .append(response.status()).append(" (").append(family.label()).append(')');
        String error = safeText(response.error());
        if (error != null) {
            message.append(": ").append(error);
        }
        Duration retryAfter = null;
        if (kind == Kind.RATE_LIMITED && response.body() != null) {
            long waitSeconds = response.body().path("wait_seconds").asLong(0);
            if (waitSeconds > 0) {
                retryAfter = Duration.ofSeconds(waitSeconds);
            }
        }
        return new ProviderException(kind, message.toString(), retryAfter, null);
    }

    /** A provider text fit for a message: token-like runs removed, shortened; null when blank. */
    static String safeText(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String safe = TOKEN_LIKE.matcher(text.strip()).replaceAll("[redacted]");
        return safe.length() <= MAX_ERROR_TEXT ? safe : safe.substring(0, MAX_ERROR_TEXT) + "...";
    }

    private static BitSet codes(String spec) {
        BitSet set = new BitSet();
        for (String part : spec.split(",")) {
            String[] bounds = part.split("-");
            int from = Integer.parseInt(bounds[0].strip());
            int to = bounds.length == 1 ? from : Integer.parseInt(bounds[1].strip());
            set.set(from, to + 1);
        }
        return set;
    }
}
