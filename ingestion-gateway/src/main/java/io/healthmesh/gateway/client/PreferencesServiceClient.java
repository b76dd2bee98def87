package io.healthmesh.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.commons.security.ServiceCredentialHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestPath;

/** preferences-service's internal routes behind the public {@code /sources}, {@code /me/connections} and {@code /me/preferences}. */
@RegisterRestClient(configKey = "preferences-service")
@RegisterClientHeaders(ServiceCredentialHeaders.class)
@Path("/internal")
@Consumes(MediaType.APPLICATION_JSON)
public interface PreferencesServiceClient {

    @GET
    @Path("/sources")
    Uni<Response> sources();

    @GET
    @Path("/users/{userId}/connections")
    Uni<Response> connections(@RestPath String userId);

    @GET
    @Path("/users/{userId}/preferences")
    Uni<Response> preferences(@RestPath String userId);

    @PUT
    @Path("/users/{userId}/preferences/{category}")
    Uni<Response> setCategory(@RestPath String userId, @RestPath String category, JsonNode body);

    @DELETE
    @Path("/users/{userId}/preferences/{category}")
    Uni<Response> resetCategory(@RestPath String userId, @RestPath String category);

    @PUT
    @Path("/users/{userId}/preferences/metrics/{metric}")
    Uni<Response> setMetric(@RestPath String userId, @RestPath String metric, JsonNode body);

    @DELETE
    @Path("/users/{userId}/preferences/metrics/{metric}")
    Uni<Response> resetMetric(@RestPath String userId, @RestPath String metric);

    @PUT
    @Path("/users/{userId}/preferences/devices/{source}")
    Uni<Response> setDevices(@RestPath String userId, @RestPath String source, JsonNode body);

    @PUT
    @Path("/users/{userId}/preferences/home-zone")
    Uni<Response> setHomeZone(@RestPath String userId, JsonNode body);
}
