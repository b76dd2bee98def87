package io.healthmesh.commons.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthmesh.commons.security.ServiceAuthConfig.Mode;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a production deployment gives: nothing but environment variables (%prod has no defaults for
 * the service credential), read through the same mapping the services use.
 */
class ServiceAuthConfigTest {

    private static ServiceAuthConfig fromEnvironment(Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(environment, 300))
                // What Quarkus adds to SmallRye Config: durations such as 30s.
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(ServiceAuthConfig.class)
                .build();
        return config.getConfigMapping(ServiceAuthConfig.class);
    }

    @Test
    void secretModeIsTheDefault() {
        ServiceAuthConfig config = fromEnvironment(Map.of());
        assertThat(config.mode()).isEqualTo(Mode.SECRET);
        assertThat(config.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.client().refreshMargin()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void everyOidcSettingComesFromTheEnvironment() {
        ServiceAuthConfig config = fromEnvironment(Map.of(
                "HEALTHMESH_SERVICE_AUTH_MODE", "oidc",
                "HEALTHMESH_SERVICE_AUTH_ISSUER", "https://login.example.org/realms/healthmesh",
                "HEALTHMESH_SERVICE_AUTH_JWKS_URL", "https://login.example.org/certs",
                "HEALTHMESH_SERVICE_AUTH_AUDIENCE", "healthmesh-internal",
                "HEALTHMESH_SERVICE_AUTH_REQUIRED_SCOPE", "healthmesh.internal",
                "HEALTHMESH_SERVICE_AUTH_CLIENT_TOKEN_URL", "https://login.example.org/token",
                "HEALTHMESH_SERVICE_AUTH_CLIENT_CLIENT_ID", "normalizer-service",
                "HEALTHMESH_SERVICE_AUTH_CLIENT_CLIENT_SECRET", "s3cret",
                "HEALTHMESH_SERVICE_AUTH_CLIENT_SCOPES", "healthmesh.internal,profile"));
        assertThat(config.mode()).isEqualTo(Mode.OIDC);
        assertThat(config.issuer()).contains("https://login.example.org/realms/healthmesh");
        assertThat(config.jwksUrl()).contains("https://login.example.org/certs");
        assertThat(config.audience()).contains("healthmesh-internal");
        assertThat(config.requiredScope()).contains("healthmesh.internal");
        assertThat(config.client().tokenUrl()).contains("https://login.example.org/token");
        assertThat(config.client().clientId()).contains("normalizer-service");
        assertThat(config.client().clientSecret()).contains("s3cret");
        assertThat(config.client().scopes()).contains(List.of("healthmesh.internal", "profile"));
    }

    @Test
    void oidcModeNeedsNoSharedSecret() {
        ServiceAuthConfig config = fromEnvironment(Map.of(
                "HEALTHMESH_SERVICE_AUTH_MODE", "oidc",
                "HEALTHMESH_SERVICE_AUTH_ISSUER", "https://login.example.org/realms/healthmesh",
                "HEALTHMESH_SERVICE_AUTH_AUDIENCE", "healthmesh-internal"));
        new ServiceCredentialVerifier(config, Optional.empty());
        // Without client settings it can answer internal calls but not make them.
        ServiceCredentials credentials = new ServiceCredentials(config, Optional.empty(), null);
        assertThatThrownBy(() -> credentials.authorization().await().indefinitely())
                .isInstanceOf(ServiceCredentialUnavailableException.class);
    }

    @Test
    void secretModeNeedsTheSharedSecret() {
        ServiceAuthConfig config = fromEnvironment(Map.of());
        assertThatThrownBy(() -> new ServiceCredentialVerifier(config, Optional.empty()))
                .hasMessageContaining("HEALTHMESH_SERVICE_SECRET");
        assertThatThrownBy(() -> new ServiceCredentialVerifier(config, Optional.of("  ")))
                .hasMessageContaining("HEALTHMESH_SERVICE_SECRET");
        assertThat(new ServiceCredentials(config, Optional.of("s3cret"), null).authorization().await().indefinitely())
                .isEqualTo("Bearer s3cret");
    }

    @Test
    void oidcModeNeedsIssuerAndAudience() {
        assertThatThrownBy(() -> new ServiceCredentialVerifier(fromEnvironment(Map.of(
                "HEALTHMESH_SERVICE_AUTH_MODE", "oidc",
                "HEALTHMESH_SERVICE_AUTH_AUDIENCE", "healthmesh-internal")), Optional.empty()))
                .hasMessageContaining("HEALTHMESH_SERVICE_AUTH_ISSUER");
        assertThatThrownBy(() -> new ServiceCredentialVerifier(fromEnvironment(Map.of(
                "HEALTHMESH_SERVICE_AUTH_MODE", "oidc",
                "HEALTHMESH_SERVICE_AUTH_ISSUER", "https://login.example.org/realms/healthmesh")), Optional.empty()))
                .hasMessageContaining("HEALTHMESH_SERVICE_AUTH_AUDIENCE");
        assertThatThrownBy(() -> new ServiceCredentialVerifier(fromEnvironment(Map.of(
                "HEALTHMESH_SERVICE_AUTH_MODE", "oidc",
                "HEALTHMESH_SERVICE_AUTH_ISSUER", "login.example.org",
                "HEALTHMESH_SERVICE_AUTH_AUDIENCE", "healthmesh-internal")), Optional.empty()))
                .hasMessageContaining("absolute http(s) URL");
    }

    @Test
    void clientSettingsGoTogetherAndTheTokenEndpointIsAbsolute() {
        Map<String, String> oidc = Map.of(
                "HEALTHMESH_SERVICE_AUTH_MODE", "oidc",
                "HEALTHMESH_SERVICE_AUTH_CLIENT_TOKEN_URL", "/realms/healthmesh/token",
                "HEALTHMESH_SERVICE_AUTH_CLIENT_CLIENT_ID", "normalizer-service");
        assertThatThrownBy(() -> new ServiceCredentials(fromEnvironment(oidc), Optional.empty(), null))
                .hasMessageContaining("go together");
        Map<String, String> relative = new java.util.HashMap<>(oidc);
        relative.put("HEALTHMESH_SERVICE_AUTH_CLIENT_CLIENT_SECRET", "s3cret");
        assertThatThrownBy(() -> new ServiceCredentials(fromEnvironment(relative), Optional.empty(), null))
                .hasMessageContaining("absolute http(s) URL");
    }
}
