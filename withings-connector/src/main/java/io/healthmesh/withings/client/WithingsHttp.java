package io.healthmesh.withings.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.withings.config.WithingsConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The one way this service talks to Withings: a form-encoded POST (as documented), optionally with
 * a bearer token, answered by a {@code {status, body}} envelope. Transport failures become
 * {@link ProviderException}s here; what a non-zero status means is the caller's to decide
 * ({@link WithingsStatus}), since the token endpoint and the data services read it differently.
 *
 * <p>Neither the form (client secret, codes, tokens, callback URL) nor the answer is ever logged or
 * put in a message.
 */
@Singleton
public class WithingsHttp {

    private final HttpClient client;
    private final Duration requestTimeout;
    private final ObjectMapper json = new ObjectMapper()
            // Exact decimals: 7036.42 m stays 7036.42, and 0.87 x 100 is 87, not 87.00000000000001.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Inject
    public WithingsHttp(WithingsConfig config) {
        this(config.connectTimeout(), config.requestTimeout());
    }

    public WithingsHttp(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
    }

    /**
     * POSTs {@code form} to {@code uri} and unwraps the envelope.
     *
     * @param operation names the call in messages ({@code getmeas}, {@code requesttoken})
     * @param bearer the access token, or null for the token endpoint
     * @throws ProviderException {@link Kind#UNAVAILABLE} when Withings cannot be reached, times out
     *     or answers HTTP 5xx; {@link Kind#RATE_LIMITED} for HTTP 429; {@link Kind#FAILED} for any
     *     other HTTP error or an answer that is not the envelope
     */
    public WithingsResponse post(URI uri, Map<String, String> form, String bearer, String operation)
            throws ProviderException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ProviderException(Kind.UNAVAILABLE, "Withings " + operation + " timed out", null, null);
        } catch (IOException e) {
            throw new ProviderException(Kind.UNAVAILABLE, "Withings " + operation + " could not be reached ("
                    + e.getClass().getSimpleName() + ")", null, null);
        }
        int code = response.statusCode();
        if (code >= 500) {
            throw new ProviderException(Kind.UNAVAILABLE, "Withings " + operation + " answered HTTP " + code);
        }
        if (code == 429) {
            throw new ProviderException(Kind.RATE_LIMITED, "Withings " + operation + " answered HTTP 429",
                    retryAfter(response), null);
        }
        if (code < 200 || code >= 300) {
            throw new ProviderException(Kind.FAILED, "Withings " + operation + " answered HTTP " + code);
        }
        return unwrap(response.body(), operation);
    }

    private WithingsResponse unwrap(String text, String operation) throws ProviderException {
        JsonNode envelope;
        try {
            envelope = json.readTree(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            throw new ProviderException(Kind.FAILED, "Withings " + operation + " answered something that is not JSON");
        }
        if (envelope == null || !envelope.isObject() || !envelope.path("status").canConvertToInt()
                || !envelope.path("status").isNumber()) {
            throw new ProviderException(Kind.FAILED, "Withings " + operation
                    + " answered JSON without the {status, body} envelope");
        }
        JsonNode body = envelope.path("body");
        if (!body.isObject()) {
            body = JsonNodeFactory.instance.objectNode();
        }
        JsonNode error = envelope.path("error");
        return new WithingsResponse(envelope.get("status").asInt(), body, error.isTextual() ? error.asText() : null);
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

    static String formEncode(Map<String, String> form) {
        StringJoiner joined = new StringJoiner("&");
        form.forEach((key, value) -> {
            if (value != null) {
                joined.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return joined.toString();
    }
}
