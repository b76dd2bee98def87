package io.healthmesh.preferences.api;

import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.preferences.service.ConnectionService;
import io.healthmesh.preferences.service.PreferencesService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/** One user's preferences, policy and connections (internal; the gateway maps /me/... here). */
@Path("/internal/users/{userId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PreferencesResource {

    private final PreferencesService preferences;
    private final ConnectionService connections;

    public PreferencesResource(PreferencesService preferences, ConnectionService connections) {
        this.preferences = preferences;
        this.connections = connections;
    }

    @GET
    @Path("/preferences")
    public Uni<PreferencesView> read(@RestPath String userId) {
        return preferences.read(userId);
    }

    @PUT
    @Path("/preferences/{category}")
    public Uni<PreferencesView> setCategory(@RestPath String userId, @RestPath String category, SourceList body) {
        return preferences.setCategory(userId, category, body == null ? null : body.sources());
    }

    @DELETE
    @Path("/preferences/{category}")
    public Uni<PreferencesView> resetCategory(@RestPath String userId, @RestPath String category) {
        return preferences.resetCategory(userId, category);
    }

    @PUT
    @Path("/preferences/metrics/{metric}")
    public Uni<PreferencesView> setMetric(@RestPath String userId, @RestPath String metric, SourceList body) {
        return preferences.setMetric(userId, metric, body == null ? null : body.sources());
    }

    @DELETE
    @Path("/preferences/metrics/{metric}")
    public Uni<PreferencesView> resetMetric(@RestPath String userId, @RestPath String metric) {
        return preferences.resetMetric(userId, metric);
    }

    @PUT
    @Path("/preferences/devices/{source}")
    public Uni<PreferencesView> setDevices(@RestPath String userId, @RestPath String source, DeviceList body) {
        return preferences.setDevices(userId, source, body == null ? null : body.devices());
    }

    @PUT
    @Path("/preferences/home-zone")
    public Uni<PreferencesView> setHomeZone(@RestPath String userId, HomeZone body) {
        return preferences.setHomeZone(userId, body == null ? null : body.zone());
    }

    /**
     * The whole policy the normalizer applies, defaults filled in, with its version, and an ETag:
     * with If-None-Match naming the current one, 304 without a body (the normalizer asks on every
     * read that needs the policy, and keeps its last copy).
     */
    @GET
    @Path("/policy")
    public Uni<RestResponse<Policy>> policy(@RestPath String userId,
            @RestHeader(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return preferences.policy(userId, ifNoneMatch).map(tagged -> (tagged.policy() == null
                        ? RestResponse.ResponseBuilder.<Policy>create(RestResponse.Status.NOT_MODIFIED)
                        : RestResponse.ResponseBuilder.ok(tagged.policy(), MediaType.APPLICATION_JSON_TYPE))
                .header(HttpHeaders.ETAG, tagged.tag())
                .build());
    }

    @GET
    @Path("/connections")
    public Uni<List<ConnectionView>> connections(@RestPath String userId) {
        return connections.connections(userId);
    }
}
