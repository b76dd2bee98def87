package io.healthmesh.commons.client;

import io.healthmesh.commons.security.ServiceCredentialHeaders;
import io.healthmesh.contracts.policy.Policy;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestPath;

/** preferences-service, which owns each user's resolution policy and home zone (config key {@code preferences-service}). */
@RegisterRestClient(configKey = "preferences-service")
@RegisterClientHeaders(ServiceCredentialHeaders.class)
@Path("/internal/users/{userId}")
@Produces(MediaType.APPLICATION_JSON)
public interface PreferencesClient {

    @GET
    @Path("/policy")
    Uni<Policy> policy(@RestPath String userId);
}
