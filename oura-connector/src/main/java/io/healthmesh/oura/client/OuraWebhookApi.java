package io.healthmesh.oura.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.oura.config.OuraConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Oura's webhook subscription routes ({@code /v2/webhook/subscription}), which belong to the app:
 * they are authenticated with the client id and secret headers, not a user's token, and cover every
 * user who authorised the app.
 */
@Singleton
public class OuraWebhookApi {

    static final String PATH = "/v2/webhook/subscription";

    /** One subscription as Oura describes it. */
    public record Subscription(String id, String callbackUrl, String eventType, String dataType,
            Instant expirationTime) {
    }

    private final OuraHttp http;
    private final OuraConfig config;
    private final String apiUrl;

    @Inject
    public OuraWebhookApi(OuraConfig config, OuraHttp http) {
        this.http = http;
        this.config = config;
        String url = config.apiUrl();
        this.apiUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public List<Subscription> list() throws ProviderException, InterruptedException {
        JsonNode body = body(http.send(app(URI.create(apiUrl + PATH)).GET().build(), "subscription list"),
                "subscription list");
        JsonNode items = body.isArray() ? body : body.path("data");
        List<Subscription> subscriptions = new ArrayList<>();
        for (JsonNode item : items) {
            Subscription subscription = subscription(item);
            if (subscription != null) {
                subscriptions.add(subscription);
            }
        }
        return subscriptions;
    }

    /** Creates one; Oura calls the callback's verification challenge before it answers. */
    public Subscription create(String callbackUrl, String eventType, String dataType)
            throws ProviderException, InterruptedException {
        ObjectNode request = http.json().createObjectNode()
                .put("callback_url", callbackUrl)
                .put("verification_token", config.webhookVerificationToken())
                .put("event_type", eventType)
                .put("data_type", dataType);
        String operation = "subscription create (" + eventType + " " + dataType + ")";
        return required(body(http.send(app(URI.create(apiUrl + PATH)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(request))).build(), operation), operation), operation);
    }

    /** Extends a subscription's expiry. */
    public Subscription renew(String id) throws ProviderException, InterruptedException {
        String operation = "subscription renew";
        return required(body(http.send(app(URI.create(apiUrl + PATH + "/renew/" + OuraApi.encode(id)))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), operation), operation), operation);
    }

    private HttpRequest.Builder app(URI uri) {
        return http.request(uri).header("x-client-id", config.clientId())
                .header("x-client-secret", config.clientSecret());
    }

    private static JsonNode body(OuraHttp.Answer answer, String operation) throws ProviderException {
        if (answer.status() == 401) {
            throw new ProviderException(Kind.FAILED, "Oura refused the app's credentials for " + operation);
        }
        if (answer.status() == 404) {
            throw new ProviderException(Kind.FAILED, "Oura " + operation + " answered HTTP 404");
        }
        return answer.body();
    }

    private static Subscription required(JsonNode body, String operation) throws ProviderException {
        Subscription subscription = subscription(body);
        if (subscription == null) {
            throw new ProviderException(Kind.FAILED, "Oura " + operation + " answered without a subscription");
        }
        return subscription;
    }

    static Subscription subscription(JsonNode item) {
        String id = text(item, "id");
        if (id == null) {
            return null;
        }
        return new Subscription(id, text(item, "callback_url"), text(item, "event_type"), text(item, "data_type"),
                instant(text(item, "expiration_time")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeException again) {
                return null; // unknown expiry: treated as expiring, so it is renewed
            }
        }
    }

    private String write(ObjectNode node) {
        try {
            return http.json().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
