package io.healthmesh.commons.problem;

import io.smallrye.mutiny.Uni;
import io.vertx.core.impl.NoStackTraceThrowable;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;

/** Routes that fail on purpose, so the mappers can be observed from outside. */
@Path("/internal/probe")
public class ProblemProbeResource {

    @GET
    @Path("/unprocessable")
    public String unprocessable() {
        throw ProblemException.unprocessable("invalid-readings", "2 readings are invalid", List.of(
                new Problem.ProblemItem(0, "unit", "unit 'kg' does not fit metric steps"),
                new Problem.ProblemItem(3, "value", "heart_rate 900 count/min is above 300")));
    }

    @GET
    @Path("/retry-later")
    public String retryLater() {
        throw ProblemException.unavailable("unavailable", "Try again soon.").withRetryAfter(7);
    }

    @GET
    @Path("/crash")
    public String crash() {
        throw new IllegalStateException("secret internal detail");
    }

    /** What the reactive SQL pool answers when no connection came free within its wait. */
    @GET
    @Path("/database-busy")
    public Uni<String> databaseBusy() {
        return Uni.createFrom().failure(new NoStackTraceThrowable("Timeout"));
    }

    @POST
    @Path("/echo")
    @Consumes(MediaType.APPLICATION_JSON)
    public Body echo(Body body) {
        return body;
    }

    public record Body(String name, int count, OffsetDateTime at) {
    }
}
