package io.healthmesh.connector.api;

import io.healthmesh.connector.connection.ConnectService;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The provider's redirect after consent, as the gateway forwards the browser's public
 * {@code GET /api/v1/connect/{source}/callback}: the user comes from the signed state, not from a token.
 */
@Path("/internal/connect/{source}/callback")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectCallbackResource {

    private final ConnectService connects;

    public ConnectCallbackResource(ConnectService connects) {
        this.connects = connects;
    }

    /**
     * 302 to {@code healthmesh.connect-return-url?source=..&outcome=connected}; problems otherwise:
     * 400 {@code invalid-state} (bad, unknown, expired or replayed), 403 {@code consent-denied},
     * 400 {@code code-refused}, 502 {@code provider-unavailable} / {@code provider-failed},
     * 409 {@code provider-account-in-use}.
     */
    @GET
    @Blocking
    public Response callback(@RestPath String source, @RestQuery String state, @RestQuery String code,
            @RestQuery String error) {
        return Response.status(Response.Status.FOUND).location(connects.complete(source, state, code, error)).build();
    }
}
