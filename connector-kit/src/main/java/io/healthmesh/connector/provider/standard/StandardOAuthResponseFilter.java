package io.healthmesh.connector.provider.standard;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcRequestContextProperties;
import io.quarkus.oidc.common.OidcResponseFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a non-2xx answer of a standard provider's token or revocation endpoint into an
 * {@link EndpointRefusal} that keeps the HTTP status, the OAuth2 error code and {@code Retry-After}.
 *
 * <p>Why a filter: quarkus-oidc-client reports a failed grant as an {@code OidcClientException}
 * whose message is the raw response body, without the status or headers, so 429 and 5xx could not
 * be told from a refused grant; and its revocation answers "not revoked" only for 503. A response
 * filter is the one place the client shows us the status and headers; failing there ends the
 * request before the client logs the body (it does at DEBUG).
 *
 * <p>Filters are global CDI beans: this one acts only on the clients {@link StandardOAuthProviders}
 * creates (their ids carry {@link StandardOAuthProviders#CLIENT_ID_PREFIX}), so an OIDC client a
 * service configures for something else is left alone. Unremovable: quarkus-oidc-client looks its
 * filters up at run time ({@code Arc.container().listAll}), so nothing injects this bean and ArC
 * would otherwise drop it as unused.
 */
@ApplicationScoped
@Unremovable
@OidcEndpoint({ OidcEndpoint.Type.TOKEN, OidcEndpoint.Type.TOKEN_REVOCATION })
public class StandardOAuthResponseFilter implements OidcResponseFilter {

    // The request property quarkus-oidc-client fills with the client's id (OidcClientImpl.CLIENT_ID_ATTRIBUTE).
    static final String CLIENT_ID_PROPERTY = "client-id";

    @Override
    public Uni<Void> filter(OidcResponseFilterContext context) {
        int status = context.statusCode();
        if (status >= 200 && status < 300 || !ours(context.requestProperties())) {
            return Uni.createFrom().voidItem();
        }
        String error = null;
        String description = null;
        try {
            if (context.responseBody() != null && context.responseBody().length() > 0) {
                JsonObject body = context.responseBody().toJsonObject();
                error = SafeText.errorCode(text(body, "error"));
                description = SafeText.of(text(body, "error_description"));
            }
        } catch (RuntimeException notJson) {
            // An HTML error page or an empty body: the status says enough.
        }
        String retryAfter = context.responseHeaders() == null ? null : context.responseHeaders().get("Retry-After");
        return Uni.createFrom().failure(new EndpointRefusal(status, error, description, RetryAfter.parse(retryAfter)));
    }

    private static boolean ours(OidcRequestContextProperties properties) {
        if (properties == null) {
            return false;
        }
        Object clientId = properties.get(CLIENT_ID_PROPERTY);
        return clientId instanceof String id && id.startsWith(StandardOAuthProviders.CLIENT_ID_PREFIX);
    }

    private static String text(JsonObject body, String field) {
        Object value = body.getValue(field);
        return value instanceof String text ? text : null;
    }
}
