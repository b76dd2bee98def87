package io.healthmesh.commons.security;

import io.quarkus.rest.client.reactive.ReactiveClientHeadersFactory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

/**
 * Adds the service credential to outgoing calls of a REST client:
 * {@code @RegisterClientHeaders(ServiceCredentialHeaders.class)}. The credential comes from
 * {@link ServiceCredentials} (the shared secret, or an OIDC client-credentials token); reactive, so
 * fetching a token never blocks the calling thread.
 */
@ApplicationScoped
public class ServiceCredentialHeaders extends ReactiveClientHeadersFactory {

    private final ServiceCredentials credentials;

    public ServiceCredentialHeaders(ServiceCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Uni<MultivaluedMap<String, String>> getHeaders(MultivaluedMap<String, String> incomingHeaders,
            MultivaluedMap<String, String> clientOutgoingHeaders) {
        return credentials.authorization().map(authorization -> {
            MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
            headers.putSingle(HttpHeaders.AUTHORIZATION, authorization);
            return headers;
        });
    }
}
