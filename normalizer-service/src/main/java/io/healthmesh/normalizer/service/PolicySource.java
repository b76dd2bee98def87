package io.healthmesh.normalizer.service;

import io.healthmesh.contracts.policy.Policy;
import io.smallrye.mutiny.Uni;

/** Where the read path gets a user's current policy. */
public interface PolicySource {

    Uni<Policy> policy(String userId);
}
