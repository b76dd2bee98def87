package io.healthmesh.gateway.api;

import io.healthmesh.gateway.client.Downstream;
import io.healthmesh.gateway.client.InternalService;
import io.healthmesh.gateway.client.NormalizerServiceClient;
import io.healthmesh.gateway.security.CurrentUser;
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
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The token's user's unified data, resolved by their preferences (or every source's with view=all). */
@Path("/api/v1/me")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "data")
public class UserDataResource {

    private final NormalizerServiceClient normalizer;
    private final Downstream downstream;
    private final CurrentUser user;

    public UserDataResource(@RestClient NormalizerServiceClient normalizer, Downstream downstream, CurrentUser user) {
        this.normalizer = normalizer;
        this.downstream = downstream;
        this.user = user;
    }

    @GET
    @Path("/metrics/{metric}")
    @Operation(summary = "A metric's points from..to (dates or ISO-8601 times), granularity raw|hour|day, view resolved|all")
    public Uni<Response> metric(@RestPath String metric, @RestQuery String from, @RestQuery String to,
            @RestQuery String granularity, @RestQuery String view) {
        String userId = user.id();
        return downstream.read(InternalService.NORMALIZER,
                () -> normalizer.metric(userId, metric, from, to, granularity, view));
    }

    @GET
    @Path("/sessions/{type}")
    @Operation(summary = "Sessions (sleep, nap, workout, mindfulness) from..to, view resolved|all")
    public Uni<Response> sessions(@RestPath String type, @RestQuery String from, @RestQuery String to,
            @RestQuery String view) {
        String userId = user.id();
        return downstream.read(InternalService.NORMALIZER, () -> normalizer.sessions(userId, type, from, to, view));
    }

    @GET
    @Path("/summary")
    @Operation(summary = "A day's resolved values per category, with their sources")
    public Uni<Response> summary(@RestQuery String date) {
        String userId = user.id();
        return downstream.read(InternalService.NORMALIZER, () -> normalizer.summary(userId, date));
    }
}
