package io.healthmesh.gateway.api;

import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemResponses;
import io.healthmesh.gateway.config.GatewayConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Each route's body limit, checked before a byte of the body is read: uploads up to the upload
 * limit (file-import counts a chunked one as it streams), pushes and webhooks up to theirs, other
 * JSON small. A body of unannounced length (chunked) is refused with 411 except on uploads: the
 * REST layer would read it into memory before any limit could be checked.
 */
public class BodyLimitFilter {

    private final GatewayConfig.Limits limits;

    public BodyLimitFilter(GatewayConfig config) {
        this.limits = config.limits();
    }

    @ServerRequestFilter
    public Response limitBody(ContainerRequestContext request, ResourceInfo resource) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        String chunked = request.getHeaderString("Transfer-Encoding");
        boolean upload = resource.getResourceMethod() != null
                && resource.getResourceMethod().isAnnotationPresent(UploadRoute.class);
        if (length == null) {
            if (chunked != null && !upload) {
                return ProblemResponses.of(Problem.of("length-required", 411, "Length required",
                        "Send this request with a Content-Length header."));
            }
            return null;
        }
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return ProblemResponses.of(Problem.of("bad-request", 400, "Bad request", "Content-Length is not a number."));
        }
        long allowed = allowedFor(request.getUriInfo().getPath(), upload);
        if (declared > allowed) {
            return ProblemResponses.of(Problem.of("payload-too-large", 413, "Payload too large",
                    "This route takes at most " + allowed + " bytes; the request announced " + declared + "."));
        }
        return null;
    }

    private long allowedFor(String path, boolean upload) {
        if (upload) {
            return limits.uploadBytes();
        }
        if (path.startsWith("/api/v1/readings")) {
            return limits.pushBytes();
        }
        if (path.startsWith("/api/v1/webhooks/")) {
            return limits.webhookBytes();
        }
        return limits.jsonBytes();
    }
}
