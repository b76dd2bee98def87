package io.healthmesh.oura.config;

import io.healthmesh.connector.provider.OAuthProvider;
import io.healthmesh.connector.provider.standard.ClientAuthentication;
import io.healthmesh.connector.provider.standard.Revocation;
import io.healthmesh.connector.provider.standard.StandardOAuthProviders;
import io.healthmesh.connector.provider.standard.StandardOAuthSettings;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.oura.client.OuraUserLookup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Oura's OAuth2 is standard, so the kit's provider serves it: authorization code (no PKCE, Oura
 * documents none), the client credentials in the form, refresh tokens single-use (the kit stores
 * the new one with the new access token, under the connection's lock) and {@code expires_in}
 * trusted; revocation is {@code GET <revoke-url>?access_token=}. The scopes cover every data type
 * synced: {@code daily} (daily documents and sleep), {@code heartrate}, {@code workout},
 * {@code session} and {@code spo2}; a user who unticks one gets a 403 for that data type, which
 * the connection reports as a missing scope.
 */
public class OuraOAuth {

    public static final String[] SCOPES = {"daily", "heartrate", "workout", "session", "spo2"};

    @Produces
    @Singleton
    OAuthProvider oura(StandardOAuthProviders standard, OuraConfig oura, OuraUserLookup users) {
        return standard.create(StandardOAuthSettings.builder(SourceId.OURA)
                .authorizationEndpoint(oura.authUrl())
                .tokenEndpoint(oura.tokenUrl())
                .revocation(Revocation.accessTokenQuery(oura.revokeUrl()))
                .client(oura.clientId(), oura.clientSecret(), ClientAuthentication.CLIENT_SECRET_POST)
                .scopes(SCOPES)
                .pkce(false)
                .connectTimeout(oura.connectTimeout())
                .requestTimeout(oura.requestTimeout())
                .build(), users);
    }
}
