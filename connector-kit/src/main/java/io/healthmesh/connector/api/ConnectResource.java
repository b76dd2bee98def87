package io.healthmesh.connector.api;

import io.healthmesh.connector.connection.ConnectService;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;

/** Starts a connect (internal; the gateway maps {@code GET /api/v1/connect/{source}} here for the token's subject). */
@Path("/internal/users/{userId}/connect/{source}")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectResource {

    private final ConnectService connects;

    public ConnectResource(ConnectService connects) {
        this.connects = connects;
    }

    /** 200 {@code {"authorizationUrl"}}; 404 problem {@code unknown-source} for a source this service does not serve. */
    @GET
    @Blocking
    public AuthorizationUrl connect(@RestPath String userId, @RestPath String source) {
        return new AuthorizationUrl(connects.authorizationUrl(userId, source).toString());
    }
}
