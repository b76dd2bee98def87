package io.healthmesh.oura.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.oura.config.OuraConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Reads a user's {@code /v2/usercollection/...} routes through the kit's {@link SyncContext}:
 * every request takes one request of the app-wide rate budget and a current token; a refused token
 * is reported and the request sent once more with the refreshed one.
 */
@Singleton
public class OuraApi {

    /** A runaway {@code next_token} stops here. */
    static final int MAX_PAGES = 1_000;
    static final String COLLECTION = "/v2/usercollection/";

    /** Receives one document (or time-series row) of a list. */
    @FunctionalInterface
    public interface ItemHandler {
        void item(JsonNode item) throws ProviderException;
    }

    private final OuraHttp http;
    private final String apiUrl;

    @Inject
    public OuraApi(OuraConfig config, OuraHttp http) {
        this.http = http;
        String url = config.apiUrl();
        this.apiUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Lists a collection, following {@code next_token} (with the original parameters) until Oura
     * gives none, each item handed over as it comes.
     */
    public void list(SyncContext context, String collection, Map<String, String> params, ItemHandler handler)
            throws ProviderException, InterruptedException {
        Map<String, String> query = new LinkedHashMap<>(params);
        String previous = null;
        for (int page = 1; ; page++) {
            JsonNode body = get(context, COLLECTION + collection, query, collection)
                    .orElseThrow(() -> new ProviderException(Kind.FAILED, "Oura has no collection " + collection));
            JsonNode data = body.path("data");
            if (!data.isArray()) {
                throw new ProviderException(Kind.FAILED, "Oura " + collection + " answered without a data list");
            }
            for (JsonNode item : data) {
                handler.item(item);
            }
            JsonNode next = body.get("next_token");
            String token = next == null || next.isNull() ? null : next.asText();
            if (token == null || token.isBlank()) {
                return;
            }
            if (token.equals(previous) || page >= MAX_PAGES) {
                throw new ProviderException(Kind.FAILED, "Oura " + collection + " pages do not end");
            }
            previous = token;
            query.put("next_token", token);
        }
    }

    /** One document by id; empty when Oura does not have it (any more). */
    public Optional<JsonNode> document(SyncContext context, String collection, String documentId)
            throws ProviderException, InterruptedException {
        return get(context, COLLECTION + collection + "/" + encode(documentId), Map.of(), collection + " document");
    }

    /** {@code personal_info}: a bare object; its {@code id} is the Oura user id. */
    public Optional<JsonNode> personalInfo(SyncContext context) throws ProviderException, InterruptedException {
        return get(context, COLLECTION + "personal_info", Map.of(), "personal_info");
    }

    private Optional<JsonNode> get(SyncContext context, String path, Map<String, String> query, String operation)
            throws ProviderException, InterruptedException {
        URI uri = URI.create(apiUrl + path + queryString(query));
        for (int attempt = 1; ; attempt++) {
            context.beforeRequest();
            String token = context.accessToken();
            OuraHttp.Answer answer = http.send(http.request(uri).header("Authorization", "Bearer " + token).GET()
                    .build(), operation);
            if (answer.status() == 401) {
                if (attempt == 1) {
                    context.tokenRefused();
                    continue;
                }
                throw new ProviderException(Kind.TOKEN_INVALID, "Oura refused the access token for " + operation);
            }
            if (answer.status() == 404) {
                return Optional.empty();
            }
            return Optional.of(answer.body());
        }
    }

    /**
     * Every value percent-encoded: a {@code +} in an offset would otherwise arrive as a space (Oura
     * answers 422); the callers send UTC {@code Z} times anyway.
     */
    static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringJoiner joined = new StringJoiner("&", "?", "");
        query.forEach((key, value) -> {
            if (value != null) {
                joined.add(encode(key) + "=" + encode(value));
            }
        });
        return joined.toString();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
