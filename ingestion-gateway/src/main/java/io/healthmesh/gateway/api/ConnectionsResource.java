package io.healthmesh.gateway.api;

import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.gateway.client.ConnectorClients;
import io.healthmesh.gateway.client.Downstream;
import io.healthmesh.gateway.client.InternalService;
import io.healthmesh.gateway.client.PreferencesServiceClient;
import io.healthmesh.gateway.client.RawForwarder;
import io.healthmesh.gateway.config.GatewayConfig;
import io.healthmesh.gateway.security.CurrentUser;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestPath;

/** Connecting the token's user to OAuth sources, and what each connection is doing. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "connections")
public class ConnectionsResource {

    private final PreferencesServiceClient preferences;
    private final ConnectorClients connectors;
    private final RawForwarder raw;
    private final Downstream downstream;
    private final CurrentUser user;
    private final GatewayConfig config;

    public ConnectionsResource(@RestClient PreferencesServiceClient preferences, ConnectorClients connectors,
            RawForwarder raw, Downstream downstream, CurrentUser user, GatewayConfig config) {
        this.preferences = preferences;
        this.connectors = connectors;
        this.raw = raw;
        this.downstream = downstream;
        this.user = user;
        this.config = config;
    }

    @GET
    @Path("/me/connections")
    @Authenticated
    @Operation(summary = "Each source of the user with its capabilities and status (connected, syncing, backfilling, error, token_expired, disconnected)")
    public Uni<Response> connections() {
        String userId = user.id();
        return downstream.idempotent(InternalService.PREFERENCES, () -> preferences.connections(userId));
    }

    @GET
    @Path("/connect/{source}")
    @Authenticated
    @Operation(summary = "Starts connecting an OAuth source: {\"authorizationUrl\"}, where the client sends the browser")
    public Uni<Response> connect(@RestPath String source) {
        String userId = user.id();
        InternalService connector = connectorOf(source);
        return downstream.idempotent(connector, () -> connectors.of(connector).connect(userId, source));
    }

    @DELETE
    @Path("/me/connections/{source}")
    @Authenticated
    @Operation(summary = "Disconnects a source: revokes and deletes its tokens, stops syncing; data already imported stays")
    public Uni<Response> disconnect(@RestPath String source) {
        String userId = user.id();
        InternalService connector = connectorOf(source);
        return downstream.idempotent(connector, () -> connectors.of(connector).disconnect(userId, source));
    }

    /**
     * Public: the provider sends the browser here after consent; the user comes from the signed
     * state, which the connector checks. Answers the connector's 302 to the connect return URL.
     */
    @GET
    @Path("/connect/{source}/callback")
    @Operation(summary = "The provider's redirect after consent (public; the user comes from the signed state)")
    public Uni<Response> callback(@RestPath String source, UriInfo uri, HttpHeaders headers) {
        InternalService connector = connectorOf(source);
        String query = uri.getRequestUri().getRawQuery();
        String target = "/internal/connect/" + source + "/callback" + (query == null ? "" : "?" + query);
        return downstream.forwarded(connector,
                () -> raw.forward(connector, "GET", target, headers.getRequestHeaders(), null),
                config.downstream().timeout());
    }

    private static InternalService connectorOf(String source) {
        return InternalService.connectorFor(source).orElseThrow(() -> ProblemException.notFound("unknown-source",
                "No OAuth connector serves '" + source + "' (withings and oura do)."));
    }
}
