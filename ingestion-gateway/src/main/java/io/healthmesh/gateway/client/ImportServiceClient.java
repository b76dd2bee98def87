package io.healthmesh.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.commons.security.ServiceCredentialHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestPath;

/**
 * file-import-service's job routes behind the public {@code /imports/{id}}. Uploads do not go
 * through this client (it would hold multipart parts in memory): see {@link RawForwarder}.
 */
@RegisterRestClient(configKey = "file-import-service")
@RegisterClientHeaders(ServiceCredentialHeaders.class)
@Path("/internal/users/{userId}/imports/{id}")
public interface ImportServiceClient {

    @GET
    Uni<Response> job(@RestPath String userId, @RestPath String id);

    @DELETE
    Uni<Response> cancel(@RestPath String userId, @RestPath String id);

    @POST
    @Path("/mapping")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> map(@RestPath String userId, @RestPath String id, JsonNode mapping);
}
