package io.healthmesh.commons.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The service in oidc mode against {@link TestIssuer}, with the client credentials of
 * {@link TestIssuer#CLIENT_ID}. The shared secret of the test profile stays configured, so that its
 * refusal means something.
 */
public class OidcModeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("healthmesh.service-auth.mode", "oidc"),
                Map.entry("healthmesh.service-auth.audience", TestIssuer.AUDIENCE),
                Map.entry("healthmesh.service-auth.required-scope", TestIssuer.SCOPE),
                // Short, so the rotation tests need not wait the default 10 s between two fetches.
                Map.entry("healthmesh.service-auth.jwks-min-refresh-interval", "1s"),
                Map.entry("healthmesh.service-auth.client.client-id", TestIssuer.CLIENT_ID),
                Map.entry("healthmesh.service-auth.client.client-secret", TestIssuer.CLIENT_SECRET),
                Map.entry("healthmesh.service-auth.client.scopes", TestIssuer.SCOPE),
                // Debug logs, as someone chasing a problem would turn on: still no token may reach the log.
                Map.entry("quarkus.log.category.\"io.healthmesh\".level", "DEBUG"),
                Map.entry("quarkus.log.category.\"io.quarkus.oidc\".level", "DEBUG"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(OidcModeResource.class));
    }
}
