package io.healthmesh.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.contracts.source.TopicSpec;
import io.healthmesh.contracts.source.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders every overlay of deploy/k8s with a real kustomize ({@link Kustomize}) and checks what a
 * cluster would get against the code: probes, resources, pinned images, secrets only by reference,
 * a KafkaTopic per topic, every variable the services need in %prod, the scaling pieces.
 */
class OverlayRenderTest {

    /** Variables whose values are secrets: never a literal value in a Deployment. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            ".*(SECRET|PASSWORD|TOKEN_KEY|VERIFICATION_TOKEN|CLIENT_ID|PRIVATE).*");

    static Stream<String> overlays() throws Exception {
        try (Stream<Path> dirs = Files.list(Repo.root().resolve("deploy/k8s/overlays"))) {
            List<String> names = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).contains("dev", "prod");
            return names.stream();
        }
    }

    /** One render per overlay for the whole class. */
    private static final Map<String, List<JsonNode>> RENDERED = new HashMap<>();

    private static synchronized List<JsonNode> render(String overlay) throws Exception {
        List<JsonNode> objects = RENDERED.get(overlay);
        if (objects == null) {
            objects = Kustomize.render(Repo.root().resolve("deploy/k8s/overlays").resolve(overlay));
            RENDERED.put(overlay, objects);
        }
        return objects;
    }

    private static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    private static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    private static List<JsonNode> containers(JsonNode deployment) {
        List<JsonNode> containers = new ArrayList<>();
        deployment.path("spec").path("template").path("spec").path("containers").forEach(containers::add);
        return containers;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyDeploymentHasProbesResourcesAndAPinnedImage(String overlay) throws Exception {
        List<JsonNode> deployments = ofKind(render(overlay), "Deployment");
        assertThat(deployments).extracting(OverlayRenderTest::name).containsExactlyInAnyOrder("ingestion-gateway",
                "preferences-service", "normalizer-service", "normalizer-read", "file-import-service",
                "withings-connector", "oura-connector");
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode deployment : deployments) {
            for (JsonNode container : containers(deployment)) {
                String where = overlay + " " + name(deployment) + "/" + container.path("name").asText();
                soft.assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                        .as(where + " readiness").isEqualTo("/q/health/ready");
                soft.assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                        .as(where + " liveness").isEqualTo("/q/health/live");
                for (String bound : List.of("requests", "limits")) {
                    soft.assertThat(container.path("resources").path(bound).has("memory")).as(where + " " + bound + " memory")
                            .isTrue();
                }
                soft.assertThat(container.path("resources").path("requests").has("cpu")).as(where + " cpu").isTrue();
                String image = container.path("image").asText();
                String tag = image.substring(image.lastIndexOf('/') + 1).contains(":")
                        ? image.substring(image.lastIndexOf(':') + 1) : "";
                soft.assertThat(tag).as(where + " image " + image + " pinned to the project version")
                        .isEqualTo(Repo.version());
                soft.assertThat(container.path("env").toString()).as(where + " an -Xmx").contains("-Xmx");
            }
        }
        soft.assertAll();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void secretsAreOnlyReferencedAndEveryReferenceIsDocumented(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        Map<String, Set<String>> documented = Repo.secrets();
        assertThat(ofKind(objects, "Secret")).as("no Secret is rendered: the operator creates them").isEmpty();
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode deployment : ofKind(objects, "Deployment")) {
            for (JsonNode container : containers(deployment)) {
                for (JsonNode env : container.path("env")) {
                    String variable = env.path("name").asText();
                    if (env.has("value")) {
                        soft.assertThat(SECRET_NAME.matcher(variable).matches())
                                .as(overlay + " " + name(deployment) + " sets secret " + variable + " inline").isFalse();
                        soft.assertThat(documented.values().stream().anyMatch(keys -> keys.contains(variable)))
                                .as(overlay + " " + name(deployment) + " sets secret key " + variable + " inline").isFalse();
                    }
                    JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                    if (!ref.isMissingNode()) {
                        String secret = ref.path("name").asText();
                        soft.assertThat(documented).as(overlay + " secret " + secret).containsKey(secret);
                        soft.assertThat(documented.getOrDefault(secret, Set.of()))
                                .as(overlay + " key of " + secret).contains(ref.path("key").asText());
                    }
                }
            }
        }
        for (String secret : referencedSecrets(objects)) {
            soft.assertThat(documented).as(overlay + " secret " + secret + " is in deploy/k8s/secrets.txt")
                    .containsKey(secret);
        }
        for (JsonNode configMap : ofKind(objects, "ConfigMap")) {
            configMap.path("data").fieldNames().forEachRemaining(key -> soft.assertThat(SECRET_NAME.matcher(key).matches())
                    .as(overlay + " ConfigMap " + name(configMap) + " holds " + key).isFalse());
        }
        soft.assertAll();
    }

    /** Every Secret name the render mentions (references of Deployments, the Ingress, CNPG roles). */
    private static Set<String> referencedSecrets(List<JsonNode> objects) {
        Set<String> names = new TreeSet<>();
        for (JsonNode object : objects) {
            object.findParents("secretKeyRef").forEach(p -> names.add(p.path("secretKeyRef").path("name").asText()));
            object.findParents("secretRef").forEach(p -> names.add(p.path("secretRef").path("name").asText()));
            object.findValues("secretName").forEach(v -> names.add(v.asText()));
            object.findParents("passwordSecret").forEach(p -> names.add(p.path("passwordSecret").path("name").asText()));
            object.findParents("secretTargetRef").forEach(p -> p.path("secretTargetRef")
                    .forEach(ref -> names.add(ref.path("name").asText())));
        }
        return names;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyTopicTheCodeUsesHasAKafkaTopic(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        Map<String, JsonNode> kafkaTopics = new HashMap<>();
        ofKind(objects, "KafkaTopic").forEach(t -> kafkaTopics.put(t.path("spec").path("topicName").asText(), t));
        Set<String> contractTopics = new TreeSet<>();
        Topics.all().forEach(spec -> contractTopics.add(spec.name()));
        Set<String> used = new TreeSet<>();
        for (String service : Repo.SERVICES) {
            used.addAll(ProdConfig.of(Repo.root(), service).channelTopics());
        }
        assertThat(contractTopics).as("topics the channels name are in the contracts' map").containsAll(used);
        assertThat(kafkaTopics.keySet()).containsExactlyInAnyOrderElementsOf(contractTopics);

        boolean prod = overlay.equals("prod");
        int replicas = prod ? 3 : 1;
        int minIsr = prod ? 2 : 1;
        SoftAssertions soft = new SoftAssertions();
        for (TopicSpec spec : Topics.all()) {
            JsonNode topic = kafkaTopics.get(spec.name());
            soft.assertThat(topic.path("spec").path("partitions").asInt()).as(spec.name() + " partitions")
                    .isEqualTo(spec.partitions());
            soft.assertThat(topic.path("spec").path("config").path("cleanup.policy").asText()).as(spec.name() + " cleanup")
                    .isEqualTo(spec.cleanupPolicy());
            soft.assertThat(topic.path("spec").path("replicas").asInt()).as(spec.name() + " replicas").isEqualTo(replicas);
            soft.assertThat(topic.path("spec").path("config").path("min.insync.replicas").asInt())
                    .as(spec.name() + " min.insync.replicas").isEqualTo(minIsr);
            soft.assertThat(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                    .isEqualTo("healthmesh-kafka");
        }
        JsonNode kafka = ofKind(objects, "Kafka").get(0);
        JsonNode config = kafka.path("spec").path("kafka").path("config");
        soft.assertThat(config.path("default.replication.factor").asInt()).isEqualTo(replicas);
        soft.assertThat(config.path("min.insync.replicas").asInt()).isEqualTo(minIsr);
        soft.assertThat(config.path("auto.create.topics.enable").asBoolean(true)).isFalse();
        soft.assertThat(ofKind(objects, "KafkaNodePool").get(0).path("spec").path("replicas").asInt())
                .isGreaterThanOrEqualTo(replicas);
        soft.assertAll();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void kafkaAuthenticatesEveryClientWithItsKafkaUsersSecret(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        JsonNode kafka = ofKind(objects, "Kafka").get(0);
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
            String where = overlay + " listener " + listener.path("name").asText();
            soft.assertThat(listener.path("authentication").path("type").asText()).as(where).isEqualTo("scram-sha-512");
            soft.assertThat(listener.path("networkPolicyPeers").isEmpty()).as(where + " NetworkPolicy peers").isFalse();
        }
        // KafkaUsers of this cluster: their Secrets (same name) are Strimzi's, listed in secrets.txt.
        Set<String> users = new TreeSet<>();
        for (JsonNode user : ofKind(objects, "KafkaUser")) {
            soft.assertThat(user.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                    .as(overlay + " KafkaUser " + name(user)).isEqualTo(name(kafka));
            soft.assertThat(user.path("spec").path("authentication").path("type").asText())
                    .as(overlay + " KafkaUser " + name(user)).isEqualTo("scram-sha-512");
            users.add(name(user));
        }
        Map<String, String> configMap = new HashMap<>();
        for (JsonNode map : ofKind(objects, "ConfigMap")) {
            map.path("data").fields().forEachRemaining(e -> configMap.put(map.path("metadata").path("name").asText()
                    + "/" + e.getKey(), e.getValue().asText()));
        }
        Set<String> usingKafka = new TreeSet<>();
        Set<String> usersInUse = new TreeSet<>();
        for (JsonNode deployment : ofKind(objects, "Deployment")) {
            for (JsonNode container : containers(deployment)) {
                String where = overlay + " " + name(deployment) + "/" + container.path("name").asText();
                Map<String, String> values = new HashMap<>();
                for (JsonNode from : container.path("envFrom")) {
                    String map = from.path("configMapRef").path("name").asText(null);
                    if (map != null) {
                        configMap.forEach((key, value) -> {
                            if (key.startsWith(map + "/")) {
                                values.put(key.substring(map.length() + 1), value);
                            }
                        });
                    }
                }
                JsonNode jaas = null;
                for (JsonNode env : container.path("env")) {
                    if (env.has("value")) {
                        values.put(env.path("name").asText(), env.path("value").asText());
                    }
                    if (env.path("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")) {
                        jaas = env;
                    }
                }
                if (!values.containsKey("KAFKA_BOOTSTRAP_SERVERS")) {
                    continue;
                }
                usingKafka.add(name(deployment));
                soft.assertThat(values.get("KAFKA_SECURITY_PROTOCOL")).as(where + " KAFKA_SECURITY_PROTOCOL")
                        .isEqualTo("SASL_PLAINTEXT");
                soft.assertThat(values.get("KAFKA_SASL_MECHANISM")).as(where + " KAFKA_SASL_MECHANISM")
                        .isEqualTo("SCRAM-SHA-512");
                soft.assertThat(jaas).as(where + " sets KAFKA_SASL_JAAS_CONFIG").isNotNull();
                if (jaas != null) {
                    JsonNode ref = jaas.path("valueFrom").path("secretKeyRef");
                    soft.assertThat(jaas.has("value")).as(where + " KAFKA_SASL_JAAS_CONFIG inline").isFalse();
                    soft.assertThat(ref.path("key").asText()).as(where + " jaas key").isEqualTo("sasl.jaas.config");
                    soft.assertThat(users).as(where + " jaas from the Secret of a KafkaUser")
                            .contains(ref.path("name").asText());
                    usersInUse.add(ref.path("name").asText());
                }
            }
        }
        // Every service talks to Kafka (messaging channels, the Kafka health check, the producers).
        soft.assertThat(usingKafka).as(overlay + " Deployments using Kafka").containsExactlyInAnyOrder(
                "ingestion-gateway", "preferences-service", "normalizer-service", "normalizer-read",
                "file-import-service", "withings-connector", "oura-connector");
        soft.assertThat(usersInUse).as(overlay + " every KafkaUser is used").isEqualTo(users);

        // KEDA reads the normalizer's lag with a Kafka user's credential.
        JsonNode scaled = ofKind(objects, "ScaledObject").get(0);
        JsonNode trigger = scaled.path("spec").path("triggers").get(0);
        soft.assertThat(trigger.path("metadata").path("sasl").asText()).as(overlay + " KEDA sasl").isEqualTo("scram_sha512");
        String authName = trigger.path("authenticationRef").path("name").asText();
        JsonNode auth = ofKind(objects, "TriggerAuthentication").stream().filter(a -> name(a).equals(authName))
                .findFirst().orElseThrow(() -> new AssertionError(overlay + " TriggerAuthentication " + authName));
        Map<String, JsonNode> secretParameters = new HashMap<>();
        auth.path("spec").path("secretTargetRef").forEach(r -> secretParameters.put(r.path("parameter").asText(), r));
        JsonNode password = secretParameters.get("password");
        soft.assertThat(password).as(overlay + " KEDA password from a Secret").isNotNull();
        if (password != null) {
            soft.assertThat(users).as(overlay + " KEDA password of a KafkaUser").contains(password.path("name").asText());
            soft.assertThat(password.path("key").asText()).isEqualTo("password");
            JsonNode username = null;
            for (JsonNode env : auth.path("spec").path("env")) {
                if (env.path("parameter").asText().equals("username")) {
                    username = env;
                }
            }
            soft.assertThat(username).as(overlay + " KEDA username").isNotNull();
            if (username != null) {
                JsonNode target = ofKind(objects, "Deployment").stream()
                        .filter(d -> name(d).equals(scaled.path("spec").path("scaleTargetRef").path("name").asText()))
                        .findFirst().orElseThrow();
                String userVariable = username.path("name").asText();
                String userName = null;
                for (JsonNode container : containers(target)) {
                    if (container.path("name").asText().equals(username.path("containerName").asText())) {
                        for (JsonNode env : container.path("env")) {
                            if (env.path("name").asText().equals(userVariable)) {
                                userName = env.path("value").asText();
                            }
                        }
                    }
                }
                soft.assertThat(userName).as(overlay + " KEDA user name is the user of the password's Secret")
                        .isEqualTo(password.path("name").asText());
            }
        }
        soft.assertAll();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyVariableTheServicesReadInProdIsSet(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        Map<String, Set<String>> configMaps = new HashMap<>();
        for (JsonNode configMap : ofKind(objects, "ConfigMap")) {
            Set<String> keys = new TreeSet<>();
            configMap.path("data").fieldNames().forEachRemaining(keys::add);
            configMaps.put(name(configMap), keys);
        }
        Map<String, Set<String>> secrets = Repo.secrets();
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode deployment : ofKind(objects, "Deployment")) {
            for (JsonNode container : containers(deployment)) {
                String service = container.path("name").asText();
                assertThat(Repo.SERVICES).as(name(deployment) + "'s container is named after its service").contains(service);
                Set<String> set = new TreeSet<>();
                container.path("env").forEach(env -> set.add(env.path("name").asText()));
                for (JsonNode from : container.path("envFrom")) {
                    if (from.has("configMapRef")) {
                        String configMap = from.path("configMapRef").path("name").asText();
                        soft.assertThat(configMaps).as(overlay + " ConfigMap " + configMap).containsKey(configMap);
                        set.addAll(configMaps.getOrDefault(configMap, Set.of()));
                    }
                    if (from.has("secretRef")) {
                        set.addAll(secrets.getOrDefault(from.path("secretRef").path("name").asText(), Set.of()));
                    }
                }
                Map<String, String> required = ProdConfig.of(Repo.root(), service).requiredEnvironment();
                for (Map.Entry<String, String> need : required.entrySet()) {
                    soft.assertThat(set).as(overlay + " " + name(deployment) + " sets " + need.getKey()
                            + " (for " + need.getValue() + ")").contains(need.getKey());
                }
            }
        }
        soft.assertAll();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void onlyTheGatewayIsPublicAndEveryDeploymentScalesAndSurvivesDrains(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        List<JsonNode> ingresses = ofKind(objects, "Ingress");
        assertThat(ingresses).hasSize(1);
        assertThat(ingresses.get(0).findValues("service")).allSatisfy(backend ->
                assertThat(backend.path("name").asText()).isEqualTo("ingestion-gateway"));
        for (JsonNode service : ofKind(objects, "Service")) {
            assertThat(service.path("spec").path("type").asText("ClusterIP")).as(name(service)).isEqualTo("ClusterIP");
        }
        Set<String> deployments = new TreeSet<>();
        ofKind(objects, "Deployment").forEach(d -> deployments.add(name(d)));
        Set<String> budgets = new TreeSet<>();
        ofKind(objects, "PodDisruptionBudget").forEach(p ->
                budgets.add(p.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").asText()));
        assertThat(budgets).containsExactlyInAnyOrderElementsOf(deployments);
        assertThat(ofKind(objects, "NetworkPolicy")).extracting(OverlayRenderTest::name)
                .contains("healthmesh-default-deny", "healthmesh-internal-from-suite");

        Set<String> autoscaled = new TreeSet<>();
        ofKind(objects, "HorizontalPodAutoscaler").forEach(h -> autoscaled.add(h.path("spec").path("scaleTargetRef")
                .path("name").asText()));
        assertThat(autoscaled).contains("withings-connector", "oura-connector", "file-import-service", "normalizer-read")
                .doesNotContain("normalizer-service");

        JsonNode scaled = ofKind(objects, "ScaledObject").get(0);
        assertThat(scaled.path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo("normalizer-service");
        JsonNode trigger = scaled.path("spec").path("triggers").get(0);
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        ProdConfig normalizer = ProdConfig.of(Repo.root(), "normalizer-service");
        assertThat(trigger.path("metadata").path("consumerGroup").asText())
                .isEqualTo(normalizer.prodValue("mp.messaging.incoming.raw-events.group.id")
                        .replace("${healthmesh.topic-prefix:}", ""));
        int consumersPerReplica = Integer.parseInt(normalizer.prodValue("mp.messaging.incoming.raw-events.concurrency"));
        int maxReplicas = scaled.path("spec").path("maxReplicaCount").asInt();
        assertThat(maxReplicas * consumersPerReplica).as("no replica beyond the raw topics' partitions")
                .isLessThanOrEqualTo(Topics.all().stream().filter(t -> Topics.RAW_TOPICS.contains(t.name()))
                        .mapToInt(TopicSpec::partitions).min().orElseThrow());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theReadSideConsumesNothingAndImportsShareOneVolume(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        JsonNode reader = ofKind(objects, "Deployment").stream().filter(d -> name(d).equals("normalizer-read"))
                .findFirst().orElseThrow();
        assertThat(containers(reader).get(0).path("env").toString())
                .contains("{\"name\":\"MP_MESSAGING_INCOMING_RAW_EVENTS_ENABLED\",\"value\":\"false\"}");
        JsonNode normalizerService = ofKind(objects, "Service").stream()
                .filter(s -> name(s).equals("normalizer-service")).findFirst().orElseThrow();
        assertThat(normalizerService.path("spec").path("selector").path("app.kubernetes.io/name").asText())
                .isEqualTo("normalizer-read");

        JsonNode imports = ofKind(objects, "Deployment").stream().filter(d -> name(d).equals("file-import-service"))
                .findFirst().orElseThrow();
        JsonNode container = containers(imports).get(0);
        String dir = null;
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals("HEALTHMESH_IMPORTS_STORAGE_DIR")) {
                dir = env.path("value").asText();
            }
        }
        assertThat(dir).isNotNull();
        String volume = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(dir)) {
                volume = mount.path("name").asText();
            }
        }
        assertThat(volume).as("a volume at " + dir).isNotNull();
        String claim = null;
        for (JsonNode v : imports.path("spec").path("template").path("spec").path("volumes")) {
            if (v.path("name").asText().equals(volume)) {
                claim = v.path("persistentVolumeClaim").path("claimName").asText();
            }
        }
        String claimName = claim;
        JsonNode pvc = ofKind(objects, "PersistentVolumeClaim").stream().filter(p -> name(p).equals(claimName))
                .findFirst().orElseThrow();
        assertThat(pvc.path("spec").path("accessModes").toString()).contains("ReadWriteMany");
    }
}
