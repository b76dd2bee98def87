package io.healthmesh.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.gateway.client.Downstream;
import io.healthmesh.gateway.client.InternalService;
import io.healthmesh.gateway.client.PreferencesServiceClient;
import io.healthmesh.gateway.security.CurrentUser;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestPath;

/** The token's user's choice of which source wins, per category, per metric and per device. */
@Path("/api/v1/me/preferences")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "preferences")
public class PreferencesResource {

    private final PreferencesServiceClient preferences;
    private final Downstream downstream;
    private final CurrentUser user;

    public PreferencesResource(@RestClient PreferencesServiceClient preferences, Downstream downstream,
            CurrentUser user) {
        this.preferences = preferences;
        this.downstream = downstream;
        this.user = user;
    }

    @GET
    @Operation(summary = "Every category's ordered sources, overrides, device ranks and home zone (defaults marked)")
    public Uni<Response> read() {
        String userId = user.id();
        return downstream.idempotent(InternalService.PREFERENCES, () -> preferences.preferences(userId));
    }

    @PUT
    @Path("/{category}")
    @Operation(summary = "Sets a category's ordered sources: {\"sources\": [...]}")
    public Uni<Response> setCategory(@RestPath String category, JsonNode body) {
        String userId = user.id();
        return downstream.idempotent(InternalService.PREFERENCES, () -> preferences.setCategory(userId, category, body));
    }

    @DELETE
    @Path("/{category}")
    @Operation(summary = "Back to the default order for a category")
    public Uni<Response> resetCategory(@RestPath String category) {
        String userId = user.id();
        return downstream.idempotent(InternalService.PREFERENCES, () -> preferences.resetCategory(userId, category));
    }

    @PUT
    @Path("/metrics/{metric}")
    @Operation(summary = "A metric's own ordered sources, over its category's: {\"sources\": [...]}")
    public Uni<Response> setMetric(@RestPath String metric, JsonNode body) {
        String userId = user.id();
        return downstream.idempotent(InternalService.PREFERENCES, () -> preferences.setMetric(userId, metric, body));
    }

    @DELETE
    @Path("/metrics/{metric}")
    @Operation(summary = "Removes a metric's override")
    public Uni<Response> resetMetric(@RestPath String metric) {
        String userId = user.id();
        return downstream.idempotent(InternalService.PREFERENCES, () -> preferences.resetMetric(userId, metric));
    }

    @PUT
    @Path("/devices/{source}")
    @Operation(summary = "The ranking of a source's devices or apps: {\"devices\": [...]}")
    public Uni<Response> setDevices(@RestPath String source, JsonNode body) {
        String userId = user.id();
        return downstream.idempotent(InternalService.PREFERENCES, () -> preferences.setDevices(userId, source, body));
    }

    @PUT
    @Path("/home-zone")
    @Operation(summary = "The zone whose local dates day buckets use: {\"zone\": \"Europe/Paris\"}")
    public Uni<Response> setHomeZone(JsonNode body) {
        String userId = user.id();
        return downstream.idempotent(InternalService.PREFERENCES, () -> preferences.setHomeZone(userId, body));
    }
}
