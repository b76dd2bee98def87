package io.healthmesh.connector.api;

import io.healthmesh.connector.connection.ConnectionService;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;

/** One user's connection to a source (internal; the gateway maps {@code /api/v1/me/connections/{source}} here). */
@Path("/internal/users/{userId}/connections/{source}")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionResource {

    private final ConnectionService connections;

    public ConnectionResource(ConnectionService connections) {
        this.connections = connections;
    }

    /** The stored view (state, reason, times, scope); 404 problem {@code not-connected} when there never was one. */
    @GET
    @Blocking
    public ConnectionView get(@RestPath String userId, @RestPath String source) {
        return ConnectionView.of(connections.find(userId, source));
    }

    /** Revokes (best effort), deletes the tokens, stops syncing; answers the connection, now disconnected. */
    @DELETE
    @Blocking
    public ConnectionView disconnect(@RestPath String userId, @RestPath String source) {
        return ConnectionView.of(connections.disconnect(userId, source));
    }
}
