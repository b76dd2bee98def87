package io.healthmesh.gateway.api;

import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.gateway.client.Downstream;
import io.healthmesh.gateway.client.InternalService;
import io.healthmesh.gateway.client.RawForwarder;
import io.healthmesh.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.http.HttpRequest;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Provider notifications, public, forwarded to their connector byte for byte with their headers:
 * the connector verifies them (Withings' secret in the path, Oura's HMAC over the exact body), so
 * the gateway neither parses nor re-encodes anything.
 */
@Path("/api/v1/webhooks")
@Tag(name = "webhooks")
public class WebhooksResource {

    private final RawForwarder raw;
    private final Downstream downstream;
    private final GatewayConfig config;

    public WebhooksResource(RawForwarder raw, Downstream downstream, GatewayConfig config) {
        this.raw = raw;
        this.downstream = downstream;
        this.config = config;
    }

    @HEAD
    @Path("/withings/{secret}")
    @Operation(summary = "Withings checks the callback URL answers")
    public Uni<Response> withingsCheck(@RestPath String secret, HttpHeaders headers) {
        requirePlainSegment(secret);
        return forward(InternalService.WITHINGS, "HEAD", "/internal/webhooks/withings/" + secret, null, headers, null);
    }

    @POST
    @Path("/withings/{secret}")
    @Operation(summary = "A Withings data notification (form-encoded)")
    public Uni<Response> withings(@RestPath String secret, HttpHeaders headers, byte[] body) {
        requirePlainSegment(secret);
        return forward(InternalService.WITHINGS, "POST", "/internal/webhooks/withings/" + secret, null, headers, body);
    }

    @GET
    @Path("/oura")
    @Operation(summary = "Oura's subscription challenge (verification_token, challenge)")
    public Uni<Response> ouraChallenge(UriInfo uri, HttpHeaders headers) {
        return forward(InternalService.OURA, "GET", "/internal/webhooks/oura", uri.getRequestUri().getRawQuery(),
                headers, null);
    }

    @POST
    @Path("/oura")
    @Operation(summary = "An Oura notification, signed (x-oura-signature over timestamp and body)")
    public Uni<Response> oura(UriInfo uri, HttpHeaders headers, byte[] body) {
        return forward(InternalService.OURA, "POST", "/internal/webhooks/oura", uri.getRequestUri().getRawQuery(),
                headers, body);
    }

    /**
     * The path secret is copied into an internal path that the gateway calls with its own
     * credential: anything but plain characters (a slash, a dot segment) could reach another
     * internal route, so it is refused as an unknown route.
     */
    private static void requirePlainSegment(String secret) {
        if (!secret.matches("[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,199}")) {
            throw ProblemException.notFound("not-found", "No such route.");
        }
    }

    private Uni<Response> forward(InternalService connector, String method, String path, String query,
            HttpHeaders headers, byte[] body) {
        String target = path + (query == null ? "" : "?" + query);
        HttpRequest.BodyPublisher publisher = body == null ? null : HttpRequest.BodyPublishers.ofByteArray(body);
        return downstream.forwarded(connector,
                () -> raw.forward(connector, method, target, headers.getRequestHeaders(), publisher),
                config.downstream().timeout());
    }
}
