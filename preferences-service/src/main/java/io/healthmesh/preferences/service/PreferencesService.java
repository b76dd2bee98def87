package io.healthmesh.preferences.service;

import io.healthmesh.commons.problem.Problem.ProblemItem;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.contracts.vocab.Category;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Vocabulary;
import io.healthmesh.preferences.api.PreferencesView;
import io.healthmesh.preferences.domain.PolicySnapshot;
import io.healthmesh.preferences.domain.UserPreferences;
import io.healthmesh.preferences.messaging.PolicyPublisher;
import io.healthmesh.preferences.repository.PreferencesRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Reads and changes a user's preferences. Every change is validated whole (nothing changes when
 * any entry is wrong), stored as a new policy version and published on preferences.v1 before the
 * change commits, so a 2xx means the new policy is both stored and on the broker.
 */
@ApplicationScoped
public class PreferencesService {

    private final PreferencesRepository repository;
    private final SourceRegistry registry;
    private final PolicyAssembler assembler;
    private final PolicyPublisher publisher;

    public PreferencesService(PreferencesRepository repository, SourceRegistry registry, PolicyAssembler assembler,
            PolicyPublisher publisher) {
        this.repository = repository;
        this.registry = registry;
        this.assembler = assembler;
        this.publisher = publisher;
    }

    public Uni<PreferencesView> read(String userId) {
        return repository.find(userId).map(this::view);
    }

    /**
     * The user's policy and its tag, unless {@code knownTags} (an If-None-Match header: tags,
     * comma-separated, or null) names the current tag: then no policy, only the tag, and nothing is
     * parsed or assembled. The tag changes whenever the policy may: a new version, another set of
     * connected sources, another source registry (the defaults come from there).
     */
    public Uni<TaggedPolicy> policy(String userId, String knownTags) {
        return repository.findStored(userId).map(stored -> {
            String tag = "\"" + stored.version() + "-" + registry.fingerprint() + "-"
                    + String.join("+", stored.connectedSources()) + "\"";
            return current(tag, knownTags) ? new TaggedPolicy(tag, null)
                    : new TaggedPolicy(tag, assembler.policy(repository.snapshot(stored)));
        });
    }

    /** A policy and the entity tag it is served with (policy null: the caller's copy is current). */
    public record TaggedPolicy(String tag, Policy policy) {
    }

    /** If-None-Match's comparison is the weak one (RFC 9110 13.1.2): a W/ prefix does not matter. */
    private static boolean current(String tag, String knownTags) {
        if (knownTags == null) {
            return false;
        }
        for (String known : knownTags.split(",")) {
            String candidate = known.strip();
            if (candidate.startsWith("W/")) {
                candidate = candidate.substring(2);
            }
            if (candidate.equals(tag) || candidate.equals("*")) {
                return true;
            }
        }
        return false;
    }

    public Uni<PreferencesView> setCategory(String userId, String categoryCode, List<String> sources) {
        Category category = category(categoryCode);
        List<ProblemItem> errors = checkSources(sources, source -> registry.supplies(source, category),
                "category " + category.code());
        reject(errors, "The source order for " + category.code() + " is not valid");
        return change(userId, chosen -> chosen.withCategory(category.code(), sources));
    }

    public Uni<PreferencesView> resetCategory(String userId, String categoryCode) {
        Category category = category(categoryCode);
        return change(userId, chosen -> chosen.withCategory(category.code(), null));
    }

    public Uni<PreferencesView> setMetric(String userId, String metricCode, List<String> sources) {
        Metric metric = metric(metricCode);
        List<ProblemItem> errors = checkSources(sources, source -> registry.supplies(source, metric),
                "metric " + metric.code());
        reject(errors, "The source order for " + metric.code() + " is not valid");
        return change(userId, chosen -> chosen.withMetric(metric.code(), sources));
    }

    public Uni<PreferencesView> resetMetric(String userId, String metricCode) {
        Metric metric = metric(metricCode);
        return change(userId, chosen -> chosen.withMetric(metric.code(), null));
    }

    public Uni<PreferencesView> setDevices(String userId, String source, List<String> devices) {
        if (registry.find(source).isEmpty()) {
            throw unprocessable("Unknown source", List.of(new ProblemItem(null, "source",
                    "unknown source '" + source + "'")));
        }
        List<ProblemItem> errors = new ArrayList<>();
        if (devices == null || devices.isEmpty()) {
            errors.add(new ProblemItem(null, "devices", "list at least one device or app name"));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < devices.size(); i++) {
                String device = devices.get(i);
                if (device == null || device.isBlank()) {
                    errors.add(new ProblemItem(i, "devices", "a device name must not be blank"));
                } else if (!seen.add(device.toLowerCase(Locale.ROOT))) {
                    errors.add(new ProblemItem(i, "devices", "'" + device + "' is listed twice"));
                }
            }
        }
        reject(errors, "The device order for " + source + " is not valid");
        return change(userId, chosen -> chosen.withDevices(source, devices));
    }

    public Uni<PreferencesView> setHomeZone(String userId, String zone) {
        if (zone == null || !ZoneId.getAvailableZoneIds().contains(zone)) {
            throw unprocessable("Unknown time zone", List.of(new ProblemItem(null, "zone",
                    "'" + zone + "' is not an IANA time zone id such as Europe/Paris")));
        }
        return change(userId, chosen -> chosen.withHomeZone(zone));
    }

    private Uni<PreferencesView> change(String userId, UnaryOperator<UserPreferences> change) {
        return repository.change(userId, change, snapshot -> publisher.publish(assembler.policy(snapshot)))
                .map(this::view);
    }

    private PreferencesView view(PolicySnapshot snapshot) {
        UserPreferences chosen = snapshot.preferences();
        Map<String, PreferencesView.Choice> categories = new LinkedHashMap<>();
        assembler.categories(chosen).forEach((code, sources) -> categories.put(code,
                new PreferencesView.Choice(sources, !chosen.categories().containsKey(code))));
        Map<String, PreferencesView.Choice> metrics = new LinkedHashMap<>();
        chosen.metrics().forEach((code, sources) -> metrics.put(code, new PreferencesView.Choice(sources, false)));
        Map<String, PreferencesView.DeviceChoice> devices = new LinkedHashMap<>();
        assembler.deviceRanks(chosen).forEach((source, ranked) -> devices.put(source,
                new PreferencesView.DeviceChoice(ranked, !chosen.devices().containsKey(source))));
        return new PreferencesView(snapshot.userId(), snapshot.version(),
                new PreferencesView.Zone(assembler.homeZone(chosen), chosen.homeZone() == null),
                categories, metrics, devices);
    }

    private List<ProblemItem> checkSources(List<String> sources, Predicate<String> supplies,
            String what) {
        List<ProblemItem> errors = new ArrayList<>();
        if (sources == null || sources.isEmpty()) {
            errors.add(new ProblemItem(null, "sources", "list at least one source (DELETE goes back to the default)"));
            return errors;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < sources.size(); i++) {
            String source = sources.get(i);
            if (source == null || registry.find(source).isEmpty()) {
                errors.add(new ProblemItem(i, "sources", "unknown source '" + source + "'"));
            } else if (!seen.add(source)) {
                errors.add(new ProblemItem(i, "sources", "'" + source + "' is listed twice"));
            } else if (!supplies.test(source)) {
                errors.add(new ProblemItem(i, "sources", "'" + source + "' cannot supply " + what));
            }
        }
        return errors;
    }

    private static Category category(String code) {
        return Category.fromCode(code).orElseThrow(() -> unprocessable("Unknown category", List.of(
                new ProblemItem(null, "category", "unknown category '" + code + "'; one of "
                        + Arrays.stream(Category.values()).map(Category::code).toList()))));
    }

    private static Metric metric(String code) {
        return Vocabulary.metric(code).orElseThrow(() -> unprocessable("Unknown metric", List.of(
                new ProblemItem(null, "metric", "unknown metric '" + code + "'"))));
    }

    private static void reject(List<ProblemItem> errors, String detail) {
        if (!errors.isEmpty()) {
            throw unprocessable(detail, errors);
        }
    }

    private static ProblemException unprocessable(String detail, List<ProblemItem> errors) {
        return ProblemException.unprocessable("invalid-preferences", detail, errors);
    }
}
