package io.healthmesh.preferences.service;

import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.contracts.vocab.Category;
import io.healthmesh.preferences.domain.PolicySnapshot;
import io.healthmesh.preferences.domain.SourceDescriptor;
import io.healthmesh.preferences.domain.UserPreferences;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fills a user's choices in with the registry's defaults: the policy every reader applies. */
@ApplicationScoped
public class PolicyAssembler {

    public static final String DEFAULT_HOME_ZONE = "UTC";

    private final SourceRegistry registry;

    public PolicyAssembler(SourceRegistry registry) {
        this.registry = registry;
    }

    public Policy policy(PolicySnapshot snapshot) {
        UserPreferences chosen = snapshot.preferences();
        return new Policy(snapshot.userId(), snapshot.version(), homeZone(chosen), categories(chosen),
                chosen.metrics(), deviceRanks(chosen), snapshot.connectedSources(), roundTripApps(),
                snapshot.updatedAt());
    }

    public String homeZone(UserPreferences chosen) {
        return chosen.homeZone() == null ? DEFAULT_HOME_ZONE : chosen.homeZone();
    }

    public Map<String, List<String>> categories(UserPreferences chosen) {
        Map<String, List<String>> categories = new LinkedHashMap<>();
        for (Category category : Category.values()) {
            categories.put(category.code(), chosen.categories().getOrDefault(category.code(),
                    registry.defaultOrder(category)));
        }
        return categories;
    }

    public Map<String, List<String>> deviceRanks(UserPreferences chosen) {
        Map<String, List<String>> ranks = new LinkedHashMap<>();
        for (SourceDescriptor source : registry.all()) {
            List<String> ranked = chosen.devices().getOrDefault(source.id(), source.defaultDeviceRanks());
            if (!ranked.isEmpty()) {
                ranks.put(source.id(), ranked);
            }
        }
        chosen.devices().forEach(ranks::putIfAbsent);
        return ranks;
    }

    private Map<String, List<String>> roundTripApps() {
        Map<String, List<String>> apps = new LinkedHashMap<>();
        for (SourceDescriptor source : registry.all()) {
            if (!source.appleHealthApps().isEmpty()) {
                apps.put(source.id(), source.appleHealthApps());
            }
        }
        return apps;
    }
}
