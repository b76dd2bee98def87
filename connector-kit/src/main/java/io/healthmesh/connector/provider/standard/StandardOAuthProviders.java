package io.healthmesh.connector.provider.standard;

import io.quarkus.oidc.client.OidcClients;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Makes the {@link StandardOAuthProvider} of a provider that speaks standard OAuth2. A connector
 * declares one with a CDI producer, so the kit finds it like any other {@code OAuthProvider}:
 *
 * <pre>{@code
 * @Produces @Singleton
 * OAuthProvider oura(StandardOAuthProviders standard, OuraConfig oura, OuraUserLookup users) {
 *     return standard.create(StandardOAuthSettings.builder("oura")
 *             .authorizationEndpoint(oura.authUrl())
 *             .tokenEndpoint(oura.tokenUrl())
 *             .revocation(Revocation.accessTokenQuery(oura.revokeUrl()))
 *             .client(oura.clientId(), oura.clientSecret(), ClientAuthentication.CLIENT_SECRET_POST)
 *             .scopes("personal", "daily", "heartrate", "workout", "session", "spo2")
 *             .build(), users);
 * }
 * }</pre>
 */
@ApplicationScoped
public class StandardOAuthProviders {

    /** Prefix of the quarkus-oidc-client ids of these providers; {@link StandardOAuthResponseFilter} acts on them only. */
    public static final String CLIENT_ID_PREFIX = "healthmesh-oauth-";

    private final OidcClients oidcClients;
    private final Queue<StandardOAuthProvider> created = new ConcurrentLinkedQueue<>();

    public StandardOAuthProviders(OidcClients oidcClients) {
        this.oidcClients = oidcClients;
    }

    /** A provider whose user id comes from {@code userLookup} after each code exchange. */
    public StandardOAuthProvider create(StandardOAuthSettings settings, ProviderUserLookup userLookup) {
        StandardOAuthProvider provider = new StandardOAuthProvider(settings, userLookup, oidcClients);
        created.add(provider);
        return provider;
    }

    /** A provider without a user id (notifications cannot name its users). */
    public StandardOAuthProvider create(StandardOAuthSettings settings) {
        return create(settings, ProviderUserLookup.none());
    }

    @PreDestroy
    void closeAll() {
        StandardOAuthProvider provider;
        while ((provider = created.poll()) != null) {
            provider.close();
        }
    }
}
