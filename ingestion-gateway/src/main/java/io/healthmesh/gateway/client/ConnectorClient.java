package io.healthmesh.gateway.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The connector kit's routes every OAuth connector serves; one client per connector is built by
 * {@link ConnectorClients} (the base URL differs, the routes do not).
 */
@Path("/internal/users/{userId}")
public interface ConnectorClient {

    @GET
    @Path("/connect/{source}")
    Uni<Response> connect(@RestPath String userId, @RestPath String source);

    @DELETE
    @Path("/connections/{source}")
    Uni<Response> disconnect(@RestPath String userId, @RestPath String source);
}
