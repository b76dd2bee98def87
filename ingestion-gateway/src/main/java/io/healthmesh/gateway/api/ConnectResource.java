package io.healthmesh.gateway.api;

import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.gateway.client.ConnectorClients;
import io.healthmesh.gateway.client.Downstream;
import io.healthmesh.gateway.client.InternalService;
import io.healthmesh.gateway.client.RawForwarder;
import io.healthmesh.gateway.config.GatewayConfig;
import io.healthmesh.gateway.security.CurrentUser;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** Connecting the token's user to an OAuth source, and the provider's redirect back. */
@Path("/api/v1/connect/{source}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "connections")
public class ConnectResource {

    private final ConnectorClients connectors;
    private final RawForwarder raw;
    private final Downstream downstream;
    private final CurrentUser user;
    private final GatewayConfig config;

    public ConnectResource(ConnectorClients connectors, RawForwarder raw, Downstream downstream, CurrentUser user,
            GatewayConfig config) {
        this.connectors = connectors;
        this.raw = raw;
        this.downstream = downstream;
        this.user = user;
        this.config = config;
    }

    @GET
    @Authenticated
    @Operation(summary = "Starts connecting an OAuth source: {\"authorizationUrl\"}, where the client sends the browser")
    public Uni<Response> connect(@RestPath String source) {
        String userId = user.id();
        InternalService connector = connectorOf(source);
        return downstream.idempotent(connector, () -> connectors.of(connector).connect(userId, source));
    }

    /**
     * Public: the provider sends the browser here after consent; the user comes from the signed
     * state, which the connector checks. Answers the connector's 302 to the connect return URL.
     */
    @GET
    @Path("/callback")
    @Operation(summary = "The provider's redirect after consent (public; the user comes from the signed state)")
    public Uni<Response> callback(@RestPath String source, UriInfo uri, HttpHeaders headers) {
        InternalService connector = connectorOf(source);
        String query = uri.getRequestUri().getRawQuery();
        String target = "/internal/connect/" + source + "/callback" + (query == null ? "" : "?" + query);
        return downstream.forwarded(connector,
                () -> raw.forward(connector, "GET", target, headers.getRequestHeaders(), null),
                config.downstream().timeout());
    }

    static InternalService connectorOf(String source) {
        return InternalService.connectorFor(source).orElseThrow(() -> ProblemException.notFound("unknown-source",
                "No OAuth connector serves '" + source + "' (withings and oura do)."));
    }
}
