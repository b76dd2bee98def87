package io.healthmesh.connector.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.connector.provider.OAuthProvider;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.standard.ClientAuthentication;
import io.healthmesh.connector.provider.standard.ProviderUserLookup;
import io.healthmesh.connector.provider.standard.Revocation;
import io.healthmesh.connector.provider.standard.StandardOAuthProviders;
import io.healthmesh.connector.provider.standard.StandardOAuthSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A standard provider declared the way a connector declares one (a producer over
 * {@link StandardOAuthProviders}), served by {@link StandardOAuthServer}, with an Oura-like user
 * lookup ({@code personal_info} with the new access token). Its source is not a real one, so the
 * other tests of the kit, which use {@code oura} as a source this app does not serve, are unaffected.
 */
@ApplicationScoped
public class StandardTestProvider {

    public static final String SOURCE = "standard-test";
    public static final String[] SCOPES = { "personal", "daily", "heartrate" };

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static StandardOAuthSettings.Builder settings(String source) {
        return StandardOAuthSettings.builder(source)
                .authorizationEndpoint(StandardOAuthServer.url(StandardOAuthServer.AUTHORIZE_PATH))
                .tokenEndpoint(StandardOAuthServer.url(StandardOAuthServer.TOKEN_PATH))
                .client(StandardOAuthServer.CLIENT_ID, StandardOAuthServer.CLIENT_SECRET,
                        ClientAuthentication.CLIENT_SECRET_POST)
                .scopes(SCOPES)
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(5));
    }

    /** Oura's way: {@code GET /v2/usercollection/personal_info} answers the user's {@code id}. */
    public static final ProviderUserLookup PERSONAL_INFO = tokens -> {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(StandardOAuthServer.url(StandardOAuthServer.PERSONAL_INFO_PATH)))
                .header("Authorization", "Bearer " + tokens.accessToken()).timeout(Duration.ofSeconds(5)).GET()
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new ProviderException(ProviderException.Kind.FAILED,
                        "personal_info answered HTTP " + response.statusCode());
            }
            JsonNode id = JSON.readTree(response.body()).get("id");
            return id == null || id.isNull() ? null : id.asText();
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "personal_info could not be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "personal_info was interrupted");
        }
    };

    @Produces
    @Singleton
    OAuthProvider standardTestProvider(StandardOAuthProviders standard) {
        return standard.create(settings(SOURCE).pkce(true)
                .revocation(Revocation.rfc7009(StandardOAuthServer.url(StandardOAuthServer.REVOKE_PATH)))
                .build(), PERSONAL_INFO);
    }
}
