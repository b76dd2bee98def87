package io.healthmesh.commons.security;

import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemResponses;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every {@code /internal/...} route accepts only calls that carry the service credential as a
 * bearer token. {@code /q/*} (health, OpenAPI) stays open, and public routes of the gateway are
 * not under {@code /internal}.
 */
public class ServiceCredentialFilter {

    static final String INTERNAL_PREFIX = "/internal";

    private final ServiceCredentialVerifier verifier;

    public ServiceCredentialFilter(ServiceCredentialVerifier verifier) {
        this.verifier = verifier;
    }

    @ServerRequestFilter(preMatching = true)
    public Response requireServiceCredential(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!isInternal(path)) {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized("This route needs the service credential as a bearer token.");
        }
        if (!verifier.accepts(header.substring(7).trim())) {
            return unauthorized("The service credential is not valid.");
        }
        return null;
    }

    static boolean isInternal(String path) {
        // Routing treats "//internal" like "/internal", so the check must too.
        String normalized = path.replaceAll("/{2,}", "/");
        return normalized.equals(INTERNAL_PREFIX) || normalized.startsWith(INTERNAL_PREFIX + "/");
    }

    private static Response unauthorized(String detail) {
        Response problem = ProblemResponses.of(Problem.of("unauthorized", 401, "Unauthorized", detail));
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
