package io.healthmesh.normalizer.client;

import io.healthmesh.commons.client.PreferencesClient;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.normalizer.service.PolicySource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Asks preferences-service for the policy on every read that needs it, so a read right after a
 * change already applies it (no cache to go stale).
 */
@ApplicationScoped
public class PreferencesPolicySource implements PolicySource {

    private static final Logger LOG = Logger.getLogger(PreferencesPolicySource.class);

    private final PreferencesClient preferences;

    public PreferencesPolicySource(@RestClient PreferencesClient preferences) {
        this.preferences = preferences;
    }

    @Override
    public Uni<Policy> policy(String userId) {
        return preferences.policy(userId).onFailure().transform(e -> {
            LOG.warnf("No policy from preferences-service for a read: %s", e.toString());
            return ProblemException.unavailable("policy-unavailable",
                    "The user's source preferences cannot be read right now; retry shortly");
        });
    }
}
