package io.healthmesh.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas of every kind deploy/k8s renders, from src/test/resources/schemas (written at
 * development time by deploy-tests/schemas/extract.mjs; sources.txt names each one's npm package
 * and version). Validation is strict: an object type that lists its fields rejects any other, so a
 * misspelt field fails here instead of being pruned or rejected by a cluster.
 */
final class Schemas {

    private static final String DIR = "schemas/";
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    /** "apiVersion kind" to schema file name, from sources.txt. */
    private static final Map<String, String> FILES = readSources();
    /** Compiled once per kind: the Kafka schema alone is ~370 KB. */
    private static final Map<String, JsonSchema> COMPILED = new ConcurrentHashMap<>();

    private Schemas() {
    }

    /** The kinds that have a schema, as "apiVersion kind". */
    static Set<String> kinds() {
        return Collections.unmodifiableSet(FILES.keySet());
    }

    /**
     * What is wrong with one object, one line each, empty when it is valid. An object whose
     * apiVersion and kind have no schema is wrong too: a new kind must not pass unvalidated.
     */
    static List<String> problems(JsonNode object) {
        String key = object.path("apiVersion").asText() + " " + object.path("kind").asText();
        String file = FILES.get(key);
        if (file == null) {
            return List.of("no schema for " + key + " (add it to deploy-tests/schemas/extract.mjs and regenerate)");
        }
        JsonSchema schema = COMPILED.computeIfAbsent(key, k -> FACTORY.getSchema(SchemaLocation.of("classpath:" + DIR + file)));
        List<String> problems = new ArrayList<>();
        for (ValidationMessage message : schema.validate(object)) {
            problems.add(message.getMessage());
        }
        Collections.sort(problems);
        return problems;
    }

    private static Map<String, String> readSources() {
        String text;
        try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(DIR + "sources.txt")) {
            if (in == null) {
                throw new IllegalStateException("no " + DIR + "sources.txt on the test classpath");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t");
            files.put(columns[0] + " " + columns[1], columns[2]);
        }
        return files;
    }
}
