package io.healthmesh.withings.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.withings.config.WithingsConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Calls Withings services with a user's access token, through the kit's {@link SyncContext}: every
 * request takes one request from the app-wide rate budget ({@link SyncContext#beforeRequest()}) and
 * a current token ({@link SyncContext#accessToken()}). A refused token is reported
 * ({@link SyncContext#tokenRefused()}) and the request sent once more with the refreshed token.
 */
@Singleton
public class WithingsApi {

    /** A runaway {@code more} (or a page cursor that does not move) stops here. */
    static final int MAX_PAGES = 2_000;

    private final WithingsHttp http;
    private final String apiUrl;

    @Inject
    public WithingsApi(WithingsConfig config, WithingsHttp http) {
        this.http = http;
        String url = config.apiUrl();
        this.apiUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * One call: {@code POST <api-url>/<service>} with {@code params} (which include {@code action}).
     *
     * @param service the service path, e.g. {@code measure}, {@code v2/sleep}, {@code notify}
     * @return the envelope's body of a successful answer
     * @throws ProviderException per {@link WithingsStatus#forApiCall}; {@link Kind#TOKEN_INVALID}
     *     only when the refreshed token was refused too
     */
    public JsonNode call(SyncContext context, String service, Map<String, String> params)
            throws ProviderException, InterruptedException {
        String operation = params.getOrDefault("action", service);
        URI uri = URI.create(apiUrl + "/" + service);
        for (int attempt = 1; ; attempt++) {
            context.beforeRequest();
            String token = context.accessToken();
            WithingsResponse response = http.post(uri, params, token, operation);
            if (response.ok()) {
                return response.body();
            }
            ProviderException failure = WithingsStatus.forApiCall(operation, response);
            if (failure.kind() == Kind.TOKEN_INVALID && attempt == 1) {
                context.tokenRefused();
                continue;
            }
            throw failure;
        }
    }

    /** Receives one page's body of a paged call. */
    @FunctionalInterface
    public interface PageHandler {
        void page(JsonNode body) throws ProviderException;
    }

    /**
     * A paged call: the identical request is repeated with the returned {@code offset} while the
     * body says {@code more} (1 or true; absent on a single page), each body handed over as it comes.
     */
    public void pages(SyncContext context, String service, Map<String, String> params, PageHandler handler)
            throws ProviderException, InterruptedException {
        Map<String, String> request = new LinkedHashMap<>(params);
        String previousOffset = null;
        for (int page = 1; ; page++) {
            JsonNode body = call(context, service, request);
            handler.page(body);
            if (!truthy(body.get("more"))) {
                return;
            }
            JsonNode offsetNode = body.get("offset");
            String offset = offsetNode == null || offsetNode.isNull() ? null : offsetNode.asText();
            String operation = params.getOrDefault("action", service);
            if (offset == null || offset.isBlank() || offset.equals(previousOffset)) {
                throw new ProviderException(Kind.FAILED, "Withings " + operation
                        + " said there is more but gave no new offset");
            }
            if (page >= MAX_PAGES) {
                throw new ProviderException(Kind.FAILED, "Withings " + operation + " had more than " + MAX_PAGES
                        + " pages");
            }
            previousOffset = offset;
            request.put("offset", offset);
        }
    }

    /** {@code more} is documented as int 1 for getmeas and boolean in v2 services. */
    static boolean truthy(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return false;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.asDouble() != 0;
        }
        String text = node.asText().strip();
        return text.equalsIgnoreCase("true") || text.equals("1");
    }
}
