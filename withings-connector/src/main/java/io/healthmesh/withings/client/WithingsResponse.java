package io.healthmesh.withings.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Withings answer, unwrapped from its {@code {status, body, error}} envelope.
 *
 * @param status the body status, 0 on success
 * @param body the {@code body} object, or an empty object
 * @param error the {@code error} text Withings adds to failures, or null
 */
public record WithingsResponse(int status, JsonNode body, String error) {

    public boolean ok() {
        return status == 0;
    }

    @Override
    public String toString() {
        // The body of a token answer holds tokens: never print it.
        return "WithingsResponse[status=" + status + "]";
    }
}
