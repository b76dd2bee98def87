package io.healthmesh.commons.client;

import io.healthmesh.commons.security.ServiceCredentialHeaders;
import io.healthmesh.contracts.policy.Policy;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/** preferences-service, which owns each user's resolution policy and home zone (config key {@code preferences-service}). */
@RegisterRestClient(configKey = "preferences-service")
@RegisterClientHeaders(ServiceCredentialHeaders.class)
@Path("/internal/users/{userId}")
@Produces(MediaType.APPLICATION_JSON)
public interface PreferencesClient {

    @GET
    @Path("/policy")
    Uni<Policy> policy(@RestPath String userId);

    /**
     * The policy with its ETag, or 304 without a body when {@code knownTag} (the ETag of a copy
     * the caller keeps; null: none) is still the current one.
     */
    @GET
    @Path("/policy")
    Uni<RestResponse<Policy>> policyUnlessCurrent(@RestPath String userId,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String knownTag);
}
