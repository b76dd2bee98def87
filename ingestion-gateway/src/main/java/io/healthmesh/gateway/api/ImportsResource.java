package io.healthmesh.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.gateway.client.Downstream;
import io.healthmesh.gateway.client.ImportServiceClient;
import io.healthmesh.gateway.client.InternalService;
import io.healthmesh.gateway.client.RawForwarder;
import io.healthmesh.gateway.config.GatewayConfig;
import io.healthmesh.gateway.security.CurrentUser;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The token's user's imports. An upload is streamed through to file-import as one raw body, as
 * the client sent it (the file itself, or a multipart form with the part {@code file}): the
 * gateway never holds more of it than a few buffers, whatever its size.
 */
@Path("/api/v1/imports")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "imports")
public class ImportsResource {

    private final ImportServiceClient imports;
    private final RawForwarder raw;
    private final Downstream downstream;
    private final CurrentUser user;
    private final GatewayConfig config;

    public ImportsResource(@RestClient ImportServiceClient imports, RawForwarder raw, Downstream downstream,
            CurrentUser user, GatewayConfig config) {
        this.imports = imports;
        this.raw = raw;
        this.downstream = downstream;
        this.user = user;
        this.config = config;
    }

    @POST
    @Path("/apple-health")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    @UploadRoute
    @Operation(summary = "Uploads an Apple Health export.zip or export.xml (the body, or the form part 'file'); 202 with the job")
    public Uni<Response> uploadAppleHealth(HttpHeaders headers, InputStream body) {
        return upload("apple-health", headers, body);
    }

    @POST
    @Path("/csv")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    @UploadRoute
    @Operation(summary = "Uploads a CSV file (the body, or the form part 'file'); 202 with the job awaiting its mapping")
    public Uni<Response> uploadCsv(HttpHeaders headers, InputStream body) {
        return upload("csv", headers, body);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "An import job: state, progress, counts, the normalizer's accepted / rejected")
    public Uni<Response> job(@RestPath String id) {
        String userId = user.id();
        return downstream.idempotent(InternalService.IMPORTS, () -> imports.job(userId, id));
    }

    @POST
    @Path("/{id}/mapping")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The column mapping of a CSV job (its suggestedMapping as it is, or edited)")
    public Uni<Response> map(@RestPath String id, JsonNode mapping) {
        String userId = user.id();
        return downstream.once(InternalService.IMPORTS, () -> imports.map(userId, id, mapping));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Cancels an import job")
    public Uni<Response> cancel(@RestPath String id) {
        String userId = user.id();
        return downstream.idempotent(InternalService.IMPORTS, () -> imports.cancel(userId, id));
    }

    private Uni<Response> upload(String kind, HttpHeaders headers, InputStream body) {
        String userId = URLEncoder.encode(user.id(), StandardCharsets.UTF_8).replace("+", "%20");
        long length = contentLength(headers);
        // The upload's own time is unbounded (GBs over a slow line); the timeout counts from the start
        // and is only a ceiling on a stalled transfer plus file-import's answer.
        return downstream.forwarded(InternalService.IMPORTS,
                () -> raw.forward(InternalService.IMPORTS, "POST", "/internal/users/" + userId + "/imports/" + kind,
                        headers.getRequestHeaders(), RawForwarder.streaming(body, length)),
                config.downstream().uploadTimeout());
    }

    private static long contentLength(HttpHeaders headers) {
        String length = headers.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
