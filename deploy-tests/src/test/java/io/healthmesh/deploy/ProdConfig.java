package io.healthmesh.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables a service needs in {@code %prod}, derived from its configuration files
 * (its application.properties over the shared defaults of connector-kit, where it uses the kit, and
 * service-commons), never from a hand list:
 * <ol>
 *   <li>an expression {@code ${NAME}} without a default in the key's effective %prod value;
 *   <li>a key the local run sets ({@code %dev} or {@code %dev,test}) that has no value at all in %prod:
 *       a secret such as {@code healthmesh.service-secret} -> {@code HEALTHMESH_SERVICE_SECRET};
 *   <li>an effective %prod value that points at loopback (127.0.0.1, localhost): in a cluster it must be
 *       set, through the expression's variable ({@code ${PGHOST:127.0.0.1}} -> {@code PGHOST}) or the
 *       key's own variable ({@code quarkus.rest-client.preferences-service.url} ->
 *       {@code QUARKUS_REST_CLIENT_PREFERENCES_SERVICE_URL}); the {@code .port} beside such a {@code .host}
 *       too ({@code PGPORT}).
 * </ol>
 * Keys of rule 2 that production does not need are in {@link #NOT_NEEDED_IN_PROD}, each with why.
 */
final class ProdConfig {

    /** Keys the local run sets that %prod leaves unset on purpose. */
    static final Map<String, String> NOT_NEEDED_IN_PROD = Map.of(
            "smallrye.jwt.sign.key.location", "signs dev tokens only; healthmesh.dev-tokens is off in prod",
            "oura.webhook.subscribe", "OuraConfig defaults it to true; only the local run turns it off");

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)(:([^}]*))?}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

    /** One configuration file's entries: base key -> (profile set or "" -> value). */
    private final List<Map<String, Map<String, String>>> layers = new ArrayList<>();

    /** Layers from the most to the least important (application.properties first). */
    ProdConfig(List<String> files) {
        for (String file : files) {
            layers.add(parse(file));
        }
    }

    /** The files a service reads, most important first. */
    static ProdConfig of(Path repo, String service) {
        List<String> files = new ArrayList<>();
        files.add(read(repo.resolve(service).resolve("src/main/resources/application.properties")));
        String pom = read(repo.resolve(service).resolve("pom.xml"));
        if (pom.contains("<artifactId>connector-kit</artifactId>")) {
            files.add(read(repo.resolve("connector-kit/src/main/resources/META-INF/microprofile-config.properties")));
        }
        files.add(read(repo.resolve("service-commons/src/main/resources/META-INF/microprofile-config.properties")));
        return new ProdConfig(files);
    }

    /** Required variable -> the key that needs it. */
    Map<String, String> requiredEnvironment() {
        Map<String, String> required = new TreeMap<>();
        for (String key : keys()) {
            String value = prodValue(key);
            if (value == null) {
                if (setByLocalRun(key) && !NOT_NEEDED_IN_PROD.containsKey(key)) {
                    required.put(envName(key), key);
                }
                continue;
            }
            Matcher matcher = EXPRESSION.matcher(value);
            boolean loopback = isLoopback(value);
            boolean loopbackCovered = false;
            while (matcher.find()) {
                String name = matcher.group(1);
                String fallback = matcher.group(3);
                if (!ENV_NAME.matcher(name).matches()) {
                    continue;
                }
                if (matcher.group(2) == null || (fallback != null && isLoopback(fallback))) {
                    required.put(name, key);
                    loopbackCovered = true;
                }
            }
            if (loopback && !loopbackCovered) {
                required.put(envName(key), key);
            }
        }
        // The port of a loopback host goes with it (${PGPORT:5432} beside ${PGHOST:127.0.0.1}).
        for (String key : keys()) {
            String value = prodValue(key);
            if (key.endsWith(".port") && value != null
                    && required.containsValue(key.substring(0, key.length() - ".port".length()) + ".host")) {
                Matcher matcher = EXPRESSION.matcher(value);
                required.put(matcher.find() && ENV_NAME.matcher(matcher.group(1)).matches() ? matcher.group(1)
                        : envName(key), key);
            }
        }
        return required;
    }

    /** Every topic a messaging channel of the service names ({@code .topic=} / {@code .topics=}), unprefixed. */
    Set<String> channelTopics() {
        Set<String> topics = new TreeSet<>();
        for (String key : keys()) {
            if (key.startsWith("mp.messaging.") && (key.endsWith(".topic") || key.endsWith(".topics"))) {
                String value = prodValue(key);
                if (value != null) {
                    for (String topic : value.split(",")) {
                        topics.add(topic.trim().replace("${healthmesh.topic-prefix:}", ""));
                    }
                }
            }
        }
        return topics;
    }

    /** The value %prod sees: the first layer with a %prod or unprofiled value of the key. */
    String prodValue(String key) {
        for (Map<String, Map<String, String>> layer : layers) {
            Map<String, String> byProfile = layer.get(key);
            if (byProfile == null) {
                continue;
            }
            for (Map.Entry<String, String> entry : byProfile.entrySet()) {
                if (Set.of(entry.getKey().split(",")).contains("prod")) {
                    return entry.getValue();
                }
            }
            if (byProfile.containsKey("")) {
                return byProfile.get("");
            }
        }
        return null;
    }

    private boolean setByLocalRun(String key) {
        return layers.stream().map(layer -> layer.get(key)).filter(p -> p != null)
                .flatMap(p -> p.keySet().stream()).anyMatch(profiles -> Set.of(profiles.split(",")).contains("dev"));
    }

    private Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        layers.forEach(layer -> keys.addAll(layer.keySet()));
        return keys;
    }

    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    private static boolean isLoopback(String value) {
        return value.contains("127.0.0.1") || value.contains("localhost");
    }

    private static Map<String, Map<String, String>> parse(String file) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Map<String, String>> entries = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            String profiles = "";
            String key = name;
            if (name.startsWith("%")) {
                profiles = name.substring(1, name.indexOf('.'));
                key = name.substring(name.indexOf('.') + 1);
            }
            entries.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(profiles, properties.getProperty(name));
        }
        return entries;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
