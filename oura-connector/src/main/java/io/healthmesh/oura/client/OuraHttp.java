package io.healthmesh.oura.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.oura.config.OuraConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The one way this service talks to Oura: JSON over plain HTTP status codes (unlike Withings,
 * errors are real statuses). Transport failures and statuses become {@link ProviderException}s
 * here, except 401 and 404, which the caller decides on (refresh and retry; a document that is gone).
 *
 * <p>Neither the request (tokens, client secret) nor the answer is ever logged or put in a message.
 */
@Singleton
public class OuraHttp {

    /** What Oura answered: the status, and the JSON body of a 2xx (null otherwise). */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient client;
    private final Duration requestTimeout;
    private final ObjectMapper json = new ObjectMapper()
            // Exact decimals: 14.375 breaths stays 14.375.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Inject
    public OuraHttp(OuraConfig config) {
        this(config.connectTimeout(), config.requestTimeout());
    }

    public OuraHttp(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
    }

    public ObjectMapper json() {
        return json;
    }

    /** A request builder with the timeout and {@code Accept: application/json}. */
    public HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", "application/json");
    }

    /**
     * Sends and maps the answer.
     *
     * @param operation names the call in messages ({@code daily_sleep}, {@code subscription create})
     * @return a 2xx with its body, or a 401 or 404 with no body
     * @throws ProviderException {@link Kind#UNAVAILABLE} when Oura cannot be reached, times out or
     *     answers 5xx; {@link Kind#RATE_LIMITED} for 429; {@link Kind#FORBIDDEN} for 403 (a lapsed
     *     membership or a missing scope, not a login failure); {@link Kind#FAILED} for any other
     *     status or a 2xx that is not JSON
     */
    public Answer send(HttpRequest request, String operation) throws ProviderException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ProviderException(Kind.UNAVAILABLE, "Oura " + operation + " timed out", null, null);
        } catch (IOException e) {
            throw new ProviderException(Kind.UNAVAILABLE, "Oura " + operation + " could not be reached ("
                    + e.getClass().getSimpleName() + ")", null, null);
        }
        int code = response.statusCode();
        if (code >= 500) {
            throw new ProviderException(Kind.UNAVAILABLE, "Oura " + operation + " answered HTTP " + code);
        }
        if (code == 429) {
            throw new ProviderException(Kind.RATE_LIMITED, "Oura " + operation + " answered HTTP 429",
                    retryAfter(response), null);
        }
        if (code == 403) {
            throw new ProviderException(Kind.FORBIDDEN, "Oura refused " + operation
                    + " (HTTP 403): the Oura membership has lapsed or the scope for it was not granted");
        }
        if (code == 401 || code == 404) {
            return new Answer(code, null);
        }
        if (code < 200 || code >= 300) {
            throw new ProviderException(Kind.FAILED, "Oura " + operation + " answered HTTP " + code);
        }
        String text = response.body();
        if (text == null || text.isBlank()) {
            return new Answer(code, json.nullNode());
        }
        try {
            return new Answer(code, json.readTree(text));
        } catch (JsonProcessingException e) {
            throw new ProviderException(Kind.FAILED, "Oura " + operation + " answered something that is not JSON");
        }
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                long seconds = Long.parseLong(value.strip());
                return seconds > 0 ? Duration.ofSeconds(seconds) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }
}
