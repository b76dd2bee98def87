package io.healthmesh.normalizer.client;

import io.healthmesh.commons.client.PreferencesClient;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.normalizer.service.PolicySource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Asks preferences-service for the policy on every read that needs it, so a read right after a
 * change already applies it. The last copy of each recent user's policy is kept with its ETag and
 * sent as If-None-Match: while it is current the answer is a 304 without a body, and neither side
 * writes or parses the policy. A copy is never used without preferences-service confirming it.
 */
@ApplicationScoped
public class PreferencesPolicySource implements PolicySource {

    /** Copies kept, the least recently read dropped first (a policy takes a few kB of heap). */
    static final int KEPT_COPIES = 4_096;
    private static final Logger LOG = Logger.getLogger(PreferencesPolicySource.class);

    private final PreferencesClient preferences;
    private final Map<String, TaggedPolicy> copies = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TaggedPolicy> eldest) {
                    return size() > KEPT_COPIES;
                }
            });

    public PreferencesPolicySource(@RestClient PreferencesClient preferences) {
        this.preferences = preferences;
    }

    @Override
    public Uni<Policy> policy(String userId) {
        TaggedPolicy copy = copies.get(userId);
        return preferences.policyUnlessCurrent(userId, copy == null ? null : copy.tag())
                .map(response -> {
                    if (response.getStatus() == RestResponse.StatusCode.NOT_MODIFIED) {
                        if (copy == null) {
                            throw new IllegalStateException("preferences-service answered 304 to a request"
                                    + " without If-None-Match");
                        }
                        return copy.policy();
                    }
                    Policy policy = response.getEntity();
                    String tag = response.getHeaderString(HttpHeaders.ETAG);
                    if (tag != null) {
                        copies.put(userId, new TaggedPolicy(tag, policy));
                    }
                    return policy;
                })
                .onFailure().transform(e -> {
                    LOG.warnf("No policy from preferences-service for a read: %s", e.toString());
                    return ProblemException.unavailable("policy-unavailable",
                            "The user's source preferences cannot be read right now; retry shortly");
                });
    }

    private record TaggedPolicy(String tag, Policy policy) {
    }
}
