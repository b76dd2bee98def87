package io.healthmesh.gateway.api;

import io.healthmesh.gateway.client.ConnectorClients;
import io.healthmesh.gateway.client.Downstream;
import io.healthmesh.gateway.client.InternalService;
import io.healthmesh.gateway.client.PreferencesServiceClient;
import io.healthmesh.gateway.security.CurrentUser;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestPath;

/** The token's user's connections to sources and what each is doing. */
@Path("/api/v1/me/connections")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "connections")
public class ConnectionsResource {

    private final PreferencesServiceClient preferences;
    private final ConnectorClients connectors;
    private final Downstream downstream;
    private final CurrentUser user;

    public ConnectionsResource(@RestClient PreferencesServiceClient preferences, ConnectorClients connectors,
            Downstream downstream, CurrentUser user) {
        this.preferences = preferences;
        this.connectors = connectors;
        this.downstream = downstream;
        this.user = user;
    }

    @GET
    @Operation(summary = "Each source of the user with its capabilities and status (connected, syncing, backfilling, error, token_expired, disconnected)")
    public Uni<Response> connections() {
        String userId = user.id();
        return downstream.idempotent(InternalService.PREFERENCES, () -> preferences.connections(userId));
    }

    @DELETE
    @Path("/{source}")
    @Operation(summary = "Disconnects a source: revokes and deletes its tokens, stops syncing; data already imported stays")
    public Uni<Response> disconnect(@RestPath String source) {
        String userId = user.id();
        InternalService connector = ConnectResource.connectorOf(source);
        return downstream.idempotent(connector, () -> connectors.of(connector).disconnect(userId, source));
    }
}
