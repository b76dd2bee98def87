package io.healthmesh.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * deploy/compose/compose.yaml cannot run here (no Docker engine): it is parsed and checked like the
 * Kubernetes render: every service, every variable its %prod configuration needs, no secret value.
 */
class ComposeFileTest {

    private static final Pattern FROM_ENV_FILE = Pattern.compile("\\$\\{[A-Z0-9_]+:\\?[^}]*}");

    private static JsonNode compose() throws Exception {
        return new YAMLMapper().readTree(Path.of(Repo.root().toString(), "deploy/compose/compose.yaml").toFile());
    }

    @Test
    void everyServiceGetsEveryVariableItsProdConfigurationNeeds() throws Exception {
        JsonNode services = compose().path("services");
        SoftAssertions soft = new SoftAssertions();
        for (String service : Repo.SERVICES) {
            JsonNode environment = services.path(service).path("environment");
            soft.assertThat(environment.isObject()).as(service + " has an environment map").isTrue();
            Set<String> set = new TreeSet<>();
            environment.fieldNames().forEachRemaining(set::add);
            for (Map.Entry<String, String> need : ProdConfig.of(Repo.root(), service).requiredEnvironment().entrySet()) {
                soft.assertThat(set).as(service + " sets " + need.getKey() + " (for " + need.getValue() + ")")
                        .contains(need.getKey());
            }
            soft.assertThat(services.path(service).path("image").asText()).as(service + " image").contains(service);
            soft.assertThat(environment.toString()).as(service + " has an -Xmx").contains("-Xmx");
        }
        soft.assertThat(services.path("postgres").isObject()).isTrue();
        soft.assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText())
                .as("KRaft").isEqualTo("broker,controller");
        soft.assertAll();
    }

    @Test
    void secretsComeFromTheEnvFileAndOnlyTheGatewayIsPublished() throws Exception {
        JsonNode services = compose().path("services");
        Set<String> secretKeys = new TreeSet<>();
        Repo.secrets().values().forEach(secretKeys::addAll);
        SoftAssertions soft = new SoftAssertions();
        services.fields().forEachRemaining(service -> {
            service.getValue().path("environment").fields().forEachRemaining(env -> {
                if (secretKeys.contains(env.getKey()) || env.getKey().matches(".*(PASSWORD|SECRET|TOKEN_KEY|VERIFICATION_TOKEN).*")) {
                    soft.assertThat(env.getValue().asText()).as(service.getKey() + " " + env.getKey())
                            .matches(FROM_ENV_FILE);
                }
            });
            if (!service.getKey().equals("ingestion-gateway")) {
                soft.assertThat(service.getValue().has("ports")).as(service.getKey() + " publishes no port").isFalse();
            }
        });
        soft.assertAll();
    }
}
