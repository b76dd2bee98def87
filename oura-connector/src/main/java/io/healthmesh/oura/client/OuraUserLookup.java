package io.healthmesh.oura.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.connector.provider.standard.ProviderUserLookup;
import io.healthmesh.connector.provider.standard.TokenResponse;
import io.healthmesh.oura.config.OuraConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;

/**
 * The Oura user of a new grant: Oura's token answer does not name it, so the kit asks this once
 * per connect with the new access token: {@code GET /v2/usercollection/personal_info} answers the
 * stable {@code id} (even without the {@code email} and {@code personal} scopes), the id webhook
 * notifications name users by.
 */
@Singleton
public class OuraUserLookup implements ProviderUserLookup {

    private final OuraHttp http;
    private final URI personalInfo;

    @Inject
    public OuraUserLookup(OuraConfig config, OuraHttp http) {
        this.http = http;
        String url = config.apiUrl();
        this.personalInfo = URI.create((url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                + OuraApi.COLLECTION + "personal_info");
    }

    @Override
    public String providerUserId(TokenResponse tokens) throws ProviderException {
        OuraHttp.Answer answer;
        try {
            answer = http.send(http.request(personalInfo).header("Authorization", "Bearer " + tokens.accessToken())
                    .GET().build(), "personal_info");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(Kind.UNAVAILABLE, "Oura personal_info was interrupted");
        }
        if (!answer.ok()) {
            throw new ProviderException(Kind.FAILED, "Oura personal_info answered HTTP " + answer.status()
                    + " to the new access token");
        }
        JsonNode id = answer.body().get("id");
        if (id == null || id.isNull() || id.asText().isBlank()) {
            throw new ProviderException(Kind.FAILED, "Oura personal_info names no user id");
        }
        return id.asText();
    }
}
