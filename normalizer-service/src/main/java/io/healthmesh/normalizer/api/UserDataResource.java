package io.healthmesh.normalizer.api;

import io.healthmesh.normalizer.service.UserDataReadService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Internal reads of one user's unified data (the gateway maps /me/... here). */
@Path("/internal/users/{userId}")
@Produces(MediaType.APPLICATION_JSON)
public class UserDataResource {

    private final UserDataReadService reads;
    private final MetricSeriesJson json;

    public UserDataResource(UserDataReadService reads, MetricSeriesJson json) {
        this.reads = reads;
        this.json = json;
    }

    @GET
    @Path("/metrics/{metric}")
    public Uni<MetricSeries> metric(@RestPath String userId, @RestPath String metric, @RestQuery String from,
            @RestQuery String to, @RestQuery @DefaultValue("day") String granularity,
            @RestQuery @DefaultValue("resolved") String view) {
        return reads.metric(userId, metric, from, to, granularity, view, json::rawRendering);
    }

    @GET
    @Path("/sessions/{type}")
    public Uni<SessionList> sessions(@RestPath String userId, @RestPath String type, @RestQuery String from,
            @RestQuery String to, @RestQuery @DefaultValue("resolved") String view) {
        return reads.sessions(userId, type, from, to, view);
    }

    @GET
    @Path("/summary")
    public Uni<DaySummary> summary(@RestPath String userId, @RestQuery String date) {
        return reads.summary(userId, date);
    }
}
