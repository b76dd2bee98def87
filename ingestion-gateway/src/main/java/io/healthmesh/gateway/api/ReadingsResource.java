package io.healthmesh.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.healthmesh.gateway.domain.PushAccepted;
import io.healthmesh.gateway.domain.PushBatch;
import io.healthmesh.gateway.security.CurrentUser;
import io.healthmesh.gateway.service.PushService;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The push API: a phone app (HealthKit samples, source {@code apple_health}) or a device (source
 * {@code push}) sends batches of readings of the token's user. 202 only once Kafka acknowledged
 * every reading of the batch. Runs on a worker thread: a send may wait for the broker.
 */
@Path("/api/v1/readings")
@Authenticated
@Tag(name = "push")
public class ReadingsResource {

    /** Marks a stored answer given again for a retried Idempotency-Key. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final PushService push;
    private final CurrentUser user;

    public ReadingsResource(PushService push, CurrentUser user) {
        this.push = push;
        this.user = user;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish a batch of readings ({\"source\": \"push\"|\"apple_health\", \"readings\": [...]}); "
            + "202 {accepted, eventIds} once Kafka has all; 422 naming each invalid reading; optional Idempotency-Key")
    @APIResponse(responseCode = "202", description = "Every reading is on raw.push.v1",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PushAccepted.class)))
    public Response push(@HeaderParam("Idempotency-Key") String idempotencyKey,
            // Read as bytes: the Idempotency-Key record keeps a hash of exactly what was sent.
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PushBatch.class))) byte[] body)
            throws JsonProcessingException {
        PushService.Answer answer = push.push(user.id(), Optional.ofNullable(idempotencyKey), body);
        Response.ResponseBuilder response = Response.status(answer.status())
                .type(MediaType.APPLICATION_JSON)
                .entity(answer.body());
        if (answer.replayed()) {
            response.header(REPLAYED_HEADER, "true");
        }
        return response.build();
    }
}
