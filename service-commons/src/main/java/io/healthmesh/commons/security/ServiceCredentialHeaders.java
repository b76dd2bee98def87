package io.healthmesh.commons.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/**
 * Adds the service credential to outgoing calls of a REST client:
 * {@code @RegisterClientHeaders(ServiceCredentialHeaders.class)}.
 */
@ApplicationScoped
public class ServiceCredentialHeaders implements ClientHeadersFactory {

    private final String bearer;

    public ServiceCredentialHeaders(@ConfigProperty(name = "healthmesh.service-secret") String secret) {
        this.bearer = "Bearer " + secret;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incomingHeaders,
            MultivaluedMap<String, String> clientOutgoingHeaders) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        headers.putSingle(HttpHeaders.AUTHORIZATION, bearer);
        return headers;
    }
}
