package io.healthmesh.preferences.api;

import io.healthmesh.preferences.service.SourceRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The source registry: what an onboarding screen needs (internal; the gateway maps /sources here). */
@Path("/internal/sources")
@Produces(MediaType.APPLICATION_JSON)
public class SourcesResource {

    private final SourceRegistry registry;

    public SourcesResource(SourceRegistry registry) {
        this.registry = registry;
    }

    @GET
    public SourcesView sources() {
        return new SourcesView(List.copyOf(registry.all()));
    }
}
