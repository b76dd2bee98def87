package io.healthmesh.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The derivation rules on small inputs, then on the real services. */
class ProdConfigTest {

    @Test
    void expressionsWithoutDefaultsInProdAreRequired() {
        ProdConfig config = new ProdConfig(List.of("""
                %prod.a.b=${NEEDED}
                %prod.c=${OPTIONAL:https://example.com}
                %dev,test.a.b=local
                d=${healthmesh.db.role}
                """));
        assertThat(config.requiredEnvironment()).containsOnlyKeys("NEEDED");
    }

    @Test
    void keysOnlyTheLocalRunSetsAreRequiredAsTheirOwnVariable() {
        ProdConfig config = new ProdConfig(List.of("""
                %dev,test.healthmesh.service-secret=local
                %test.quarkus.flyway.ignore-migration-patterns=*:future
                %dev,test.smallrye.jwt.sign.key.location=keys/sign.pem
                """));
        assertThat(config.requiredEnvironment()).containsOnlyKeys("HEALTHMESH_SERVICE_SECRET");
    }

    @Test
    void loopbackAddressesMustBeSetThroughTheirVariable() {
        ProdConfig config = new ProdConfig(List.of("""
                quarkus.rest-client.preferences-service.url=http://127.0.0.1:8081
                withings.api-url=http://127.0.0.1:8094
                %prod.withings.api-url=${WITHINGS_API_URL:https://wbsapi.withings.net}
                """, """
                healthmesh.db.host=${PGHOST:127.0.0.1}
                """));
        assertThat(config.requiredEnvironment())
                .containsOnlyKeys("QUARKUS_REST_CLIENT_PREFERENCES_SERVICE_URL", "PGHOST");
    }

    @Test
    void aServiceFileWinsOverTheSharedDefaults() {
        ProdConfig config = new ProdConfig(List.of("x=set", "x=${NEEDED}"));
        assertThat(config.requiredEnvironment()).isEmpty();
    }

    @Test
    void theRealServicesNeedWhatTheReadmeSays() {
        assertThat(ProdConfig.of(Repo.root(), "ingestion-gateway").requiredEnvironment()).containsKeys(
                "MP_JWT_VERIFY_ISSUER", "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "HEALTHMESH_SERVICE_SECRET",
                "QUARKUS_DATASOURCE_PASSWORD", "KAFKA_BOOTSTRAP_SERVERS", "PGHOST", "PGPORT",
                "QUARKUS_REST_CLIENT_NORMALIZER_SERVICE_URL");
        assertThat(ProdConfig.of(Repo.root(), "withings-connector").requiredEnvironment()).containsKeys(
                "WITHINGS_CLIENT_ID", "WITHINGS_CLIENT_SECRET", "WITHINGS_NOTIFY_SECRET", "HEALTHMESH_TOKEN_KEY",
                "HEALTHMESH_PUBLIC_BASE_URL", "HEALTHMESH_CONNECT_RETURN_URL")
                .doesNotContainKey("WITHINGS_API_URL");
        assertThat(ProdConfig.of(Repo.root(), "file-import-service").requiredEnvironment())
                .containsKeys("HEALTHMESH_IMPORTS_STORAGE_DIR", "QUARKUS_REST_CLIENT_PREFERENCES_SERVICE_URL");
    }
}
