package io.healthmesh.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object that the base and each overlay of deploy/k8s render is valid against its kind's
 * JSON Schema ({@link Schemas}): field names, types, required fields, enums, for the core kinds
 * and the Strimzi, CloudNativePG and KEDA custom resources alike. The tests at the end show the
 * validator does reject what a typo makes.
 */
class ManifestSchemaTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    /**
     * The only objects in the rendered manifests that take any field name: maps of resource name
     * to quantity, and the free-form broker and topic configuration (Strimzi's
     * x-kubernetes-preserve-unknown-fields). Everywhere else a misspelt field must fail.
     */
    private static final Set<String> OPEN_OBJECTS = Set.of(
            "Deployment.spec.template.spec.containers[].resources.limits",
            "Deployment.spec.template.spec.containers[].resources.requests",
            "PersistentVolumeClaim.spec.resources.requests",
            "Cluster.spec.resources.limits",
            "Cluster.spec.resources.requests",
            "KafkaNodePool.spec.resources.limits",
            "KafkaNodePool.spec.resources.requests",
            "Kafka.spec.kafka.config",
            "KafkaTopic.spec.config");

    /** One render per kustomization for the whole class. */
    private static final Map<String, List<JsonNode>> RENDERED = new HashMap<>();

    private static synchronized List<JsonNode> render(String kustomization) throws Exception {
        List<JsonNode> objects = RENDERED.get(kustomization);
        if (objects == null) {
            objects = Kustomize.render(Repo.root().resolve("deploy/k8s").resolve(kustomization));
            RENDERED.put(kustomization, objects);
        }
        return objects;
    }

    /** deploy/k8s/base and every overlay, as paths under deploy/k8s. */
    static Stream<String> kustomizations() throws Exception {
        try (Stream<Path> dirs = Files.list(Repo.root().resolve("deploy/k8s/overlays"))) {
            List<String> all = new ArrayList<>(List.of("base"));
            dirs.filter(Files::isDirectory).map(p -> "overlays/" + p.getFileName()).sorted().forEach(all::add);
            assertThat(all).contains("overlays/dev", "overlays/prod");
            return all.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyRenderedObjectIsValidAgainstItsSchema(String kustomization) throws Exception {
        List<JsonNode> objects = render(kustomization);
        assertThat(objects).as(kustomization + " renders objects").isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (JsonNode object : objects) {
            String where = object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
            Schemas.problems(object).forEach(p -> problems.add(where + ": " + p));
        }
        assertThat(problems).as(kustomization).isEmpty();
    }

    /**
     * Guards the schemas themselves: were one extracted too loosely (an object left open), the
     * test above would pass whatever is written there. Puts an unknown field into every object of
     * every rendered manifest in turn and expects it reported, except in {@link #OPEN_OBJECTS}.
     */
    @ParameterizedTest
    @MethodSource("kustomizations")
    void anUnknownFieldIsReportedAnywhereButInMapsAndFreeFormConfig(String kustomization) throws Exception {
        Set<String> accepted = new TreeSet<>();
        for (JsonNode rendered : render(kustomization)) {
            JsonNode object = rendered.deepCopy();
            Map<String, ObjectNode> nodes = new HashMap<>();
            List<String> paths = new ArrayList<>();
            collect(object, object.path("kind").asText(), paths, nodes);
            for (int i = 0; i < paths.size(); i++) {
                ObjectNode node = nodes.get(i + " " + paths.get(i));
                node.put("notAField", 1);
                if (Schemas.problems(object).isEmpty()) {
                    accepted.add(paths.get(i));
                }
                node.remove("notAField");
            }
        }
        assertThat(accepted).as(kustomization + ": objects that accept an unknown field").isSubsetOf(OPEN_OBJECTS);
    }

    /** Every JSON object under node, by a path of field names ([] for an array's items). */
    private static void collect(JsonNode node, String path, List<String> paths, Map<String, ObjectNode> nodes) {
        if (node.isObject()) {
            nodes.put(paths.size() + " " + path, (ObjectNode) node);
            paths.add(path);
            node.fields().forEachRemaining(field -> collect(field.getValue(), path + "." + field.getKey(), paths, nodes));
        } else if (node.isArray()) {
            node.forEach(item -> collect(item, path + "[]", paths, nodes));
        }
    }

    @Test
    void aMisspeltFieldInAKafkaTopicIsReported() throws Exception {
        JsonNode topic = yaml("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: t, labels: {strimzi.io/cluster: healthmesh}}
                spec:
                  partitons: 3
                  replicas: 1
                """);
        assertThat(Schemas.problems(topic)).singleElement().asString().contains("partitons");
    }

    @Test
    void aStringForDeploymentReplicasIsReported() throws Exception {
        JsonNode deployment = yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  replicas: "two"
                  selector: {matchLabels: {app: d}}
                  template:
                    metadata: {labels: {app: d}}
                    spec:
                      containers: [{name: d, image: "d:1"}]
                """);
        assertThat(Schemas.problems(deployment)).singleElement().asString().contains("replicas");
    }

    @Test
    void aMisspeltContainerFieldDeepInAPodTemplateIsReported() throws Exception {
        JsonNode deployment = yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  selector: {matchLabels: {app: d}}
                  template:
                    metadata: {labels: {app: d}}
                    spec:
                      containers: [{name: d, image: "d:1", readinesProbe: {}}]
                """);
        assertThat(Schemas.problems(deployment)).singleElement().asString().contains("readinesProbe");
    }

    @Test
    void aScaledObjectWithoutScaleTargetRefIsReported() throws Exception {
        JsonNode scaledObject = yaml("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: s}
                spec:
                  triggers: [{type: kafka, metadata: {topic: t}}]
                """);
        assertThat(Schemas.problems(scaledObject)).singleElement().asString().contains("scaleTargetRef");
    }

    @Test
    void aKindWithoutASchemaIsReported() throws Exception {
        JsonNode job = yaml("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: c}
                spec: {}
                """);
        assertThat(Schemas.problems(job)).singleElement().asString().contains("no schema for batch/v1 CronJob");
    }

    /** The other side: free-form fields (a CRD's x-kubernetes-preserve-unknown-fields) stay open. */
    @Test
    void aValidKafkaTopicWithFreeFormConfigPasses() throws Exception {
        JsonNode topic = yaml("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: t, labels: {strimzi.io/cluster: healthmesh}}
                spec:
                  partitions: 3
                  replicas: 1
                  config: {retention.ms: 604800000, cleanup.policy: delete}
                """);
        assertThat(Schemas.problems(topic)).isEmpty();
    }

    private static JsonNode yaml(String text) throws Exception {
        return YAML.readTree(text);
    }
}
