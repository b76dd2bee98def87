package io.healthmesh.normalizer;

import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.normalizer.service.PolicySource;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for preferences-service inside this module's @QuarkusTests, which run the normalizer
 * alone; the real policy round trip is tested across services in system-tests.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class FixedPolicySource implements PolicySource {

    private static final Map<String, Policy> POLICIES = new ConcurrentHashMap<>();
    private static final Set<String> UNAVAILABLE = ConcurrentHashMap.newKeySet();

    public static void set(Policy policy) {
        POLICIES.put(policy.userId(), policy);
    }

    public static void makeUnavailable(String userId) {
        UNAVAILABLE.add(userId);
    }

    /** The registry's default orders of the categories these tests touch, nothing connected. */
    public static Policy defaults(String userId, String homeZone) {
        return new Policy(userId, 1, homeZone, Map.of(
                "activity", List.of("apple_health", "fitbit", "oura", "withings", "push", "csv"),
                "heart", List.of("apple_health", "oura", "withings", "push", "csv"),
                "body", List.of("withings", "apple_health", "push", "csv"),
                "sleep", List.of("oura", "withings", "apple_health", "push", "csv")),
                Map.of(), Map.of("apple_health", List.of("Watch", "iPhone")), Set.of(),
                Map.of("withings", List.of("Health Mate"), "oura", List.of("Oura")), null);
    }

    @Override
    public Uni<Policy> policy(String userId) {
        if (UNAVAILABLE.contains(userId)) {
            return Uni.createFrom().failure(ProblemException.unavailable("policy-unavailable",
                    "The user's source preferences cannot be read right now; retry shortly"));
        }
        return Uni.createFrom().item(POLICIES.getOrDefault(userId, defaults(userId, "UTC")));
    }
}
