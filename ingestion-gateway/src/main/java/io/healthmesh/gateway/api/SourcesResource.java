package io.healthmesh.gateway.api;

import io.healthmesh.gateway.client.Downstream;
import io.healthmesh.gateway.client.InternalService;
import io.healthmesh.gateway.client.PreferencesServiceClient;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

@Path("/api/v1/sources")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sources")
public class SourcesResource {

    private final PreferencesServiceClient preferences;
    private final Downstream downstream;

    public SourcesResource(@RestClient PreferencesServiceClient preferences, Downstream downstream) {
        this.preferences = preferences;
        this.downstream = downstream;
    }

    @GET
    @Operation(summary = "Every source: display name, kind, the categories and metrics it can supply, default ranks")
    public Uni<Response> sources() {
        return downstream.idempotent(InternalService.PREFERENCES, preferences::sources);
    }
}
