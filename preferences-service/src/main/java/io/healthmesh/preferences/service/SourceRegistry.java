package io.healthmesh.preferences.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.vocab.Category;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Vocabulary;
import io.healthmesh.preferences.domain.SourceDescriptor;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sources Healthmesh knows: what each can supply and its default rank per category. Read
 * from {@code registry/sources.json} on the classpath, or from the file named by
 * {@code healthmesh.sources.registry-file}; checked against the vocabulary at start-up so a
 * broken registry stops the service instead of serving wrong defaults.
 */
@Startup
@ApplicationScoped
public class SourceRegistry {

    private static final String ALL_METRICS = "*";

    private final Map<String, SourceDescriptor> sources;
    private final Map<String, List<String>> defaultOrders;
    private final String fingerprint;

    public SourceRegistry(ObjectMapper json,
            @ConfigProperty(name = "healthmesh.sources.registry-file") Optional<String> registryFile) {
        RegistryFile file = read(json, registryFile);
        this.defaultOrders = checkedOrders(file);
        this.sources = describe(file, defaultOrders);
        this.fingerprint = fingerprint(json, file);
    }

    /**
     * Short and the same for the same registry: the defaults a policy is filled in with come from
     * here, so a copy of a policy is current only under the same registry.
     */
    public String fingerprint() {
        return fingerprint;
    }

    private static String fingerprint(ObjectMapper json, RegistryFile file) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(file));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("Cannot fingerprint the source registry", e);
        }
    }

    public Collection<SourceDescriptor> all() {
        return sources.values();
    }

    public Optional<SourceDescriptor> find(String id) {
        return Optional.ofNullable(sources.get(id));
    }

    /** The registry's order of sources for a category. */
    public List<String> defaultOrder(Category category) {
        return defaultOrders.get(category.code());
    }

    public boolean supplies(String sourceId, Category category) {
        SourceDescriptor source = sources.get(sourceId);
        return source != null && source.categories().contains(category.code());
    }

    public boolean supplies(String sourceId, Metric metric) {
        SourceDescriptor source = sources.get(sourceId);
        return source != null && source.metrics().contains(metric.code());
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RegistryFile(Map<String, List<String>> categoryOrder, List<RegistryEntry> sources) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RegistryEntry(String id, String displayName, String kind, String status, List<String> metrics,
            List<String> sessions, List<String> appleHealthApps, List<String> deviceRanks) {
    }

    private static RegistryFile read(ObjectMapper json, Optional<String> registryFile) {
        try {
            if (registryFile.isPresent()) {
                return json.readValue(Files.readAllBytes(Path.of(registryFile.get())), RegistryFile.class);
            }
            try (InputStream in = SourceRegistry.class.getResourceAsStream("/registry/sources.json")) {
                if (in == null) {
                    throw new IllegalStateException("registry/sources.json is missing from the classpath");
                }
                return json.readValue(in, RegistryFile.class);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the source registry: " + e.getMessage(), e);
        }
    }

    private static Map<String, List<String>> checkedOrders(RegistryFile file) {
        Map<String, List<String>> orders = new LinkedHashMap<>();
        for (Category category : Category.values()) {
            List<String> order = file.categoryOrder().get(category.code());
            if (order == null || order.isEmpty()) {
                throw new IllegalStateException("Source registry: no default order for category " + category.code());
            }
            orders.put(category.code(), List.copyOf(order));
        }
        return orders;
    }

    private static Map<String, SourceDescriptor> describe(RegistryFile file, Map<String, List<String>> orders) {
        Map<String, SourceDescriptor> described = new LinkedHashMap<>();
        for (RegistryEntry entry : file.sources()) {
            if (!SourceId.isKnown(entry.id())) {
                throw new IllegalStateException("Source registry: unknown source id " + entry.id());
            }
            Set<String> metrics = metricsOf(entry);
            List<String> sessions = entry.sessions() == null ? List.of() : List.copyOf(entry.sessions());
            Set<String> categories = new TreeSet<>();
            metrics.forEach(code -> categories.add(Vocabulary.metric(code).orElseThrow().category().code()));
            sessions.forEach(type -> categories.add(sessionType(entry.id(), type).category().code()));
            Map<String, Integer> ranks = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> order : orders.entrySet()) {
                int position = order.getValue().indexOf(entry.id());
                if (position >= 0) {
                    if (!categories.contains(order.getKey())) {
                        throw new IllegalStateException("Source registry: " + entry.id() + " is ranked for "
                                + order.getKey() + " but supplies none of it");
                    }
                    ranks.put(order.getKey(), position + 1);
                }
            }
            for (String category : categories) {
                if (!ranks.containsKey(category)) {
                    throw new IllegalStateException("Source registry: " + entry.id() + " supplies " + category
                            + " but has no place in its default order");
                }
            }
            described.put(entry.id(), new SourceDescriptor(entry.id(), entry.displayName(), entry.kind(),
                    entry.status(), categories, metrics, sessions, ranks, listOrEmpty(entry.appleHealthApps()),
                    listOrEmpty(entry.deviceRanks())));
        }
        for (List<String> order : orders.values()) {
            for (String id : order) {
                if (!described.containsKey(id)) {
                    throw new IllegalStateException("Source registry: default order names unknown source " + id);
                }
            }
        }
        return described;
    }

    private static Set<String> metricsOf(RegistryEntry entry) {
        if (entry.metrics() == null) {
            return Set.of();
        }
        if (entry.metrics().contains(ALL_METRICS)) {
            return Vocabulary.all().stream().map(Metric::code).collect(Collectors.toCollection(LinkedHashSet::new));
        }
        for (String code : entry.metrics()) {
            if (!Vocabulary.isKnown(code)) {
                throw new IllegalStateException("Source registry: " + entry.id() + " lists unknown metric " + code);
            }
        }
        return new LinkedHashSet<>(entry.metrics());
    }

    private static SessionType sessionType(String source, String code) {
        return Arrays.stream(SessionType.values()).filter(t -> t.code().equals(code.toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalStateException(
                        "Source registry: " + source + " lists unknown session type " + code));
    }

    private static List<String> listOrEmpty(List<String> values) {
        return values == null ? List.of() : new ArrayList<>(values);
    }
}
