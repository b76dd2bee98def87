package io.healthmesh.commons.security;

import io.healthmesh.testsupport.RealStackResource;
import java.util.HashMap;
import java.util.Map;

/**
 * The real stack plus {@link TestIssuer}'s addresses (dynamic port): the issuer (whose discovery
 * document gives the key set's address), its token endpoint, and the preferences-service client
 * pointed at WireMock too.
 */
public class OidcModeResource extends RealStackResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("healthmesh.service-auth.issuer", TestIssuer.issuer());
        config.put("healthmesh.service-auth.client.token-url", TestIssuer.baseUrl() + TestIssuer.TOKEN_PATH);
        config.put("quarkus.rest-client.preferences-service.url", TestIssuer.baseUrl());
        return config;
    }
}
