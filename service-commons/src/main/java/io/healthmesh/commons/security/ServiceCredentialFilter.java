package io.healthmesh.commons.security;

import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemResponses;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every {@code /internal/...} route accepts only calls that carry the service credential as a
 * bearer token. {@code /q/*} (health, OpenAPI) stays open, and public routes of the gateway are
 * not under {@code /internal}. What counts as the credential depends on
 * {@code healthmesh.service-auth.mode} ({@link ServiceCredentialVerifier}): a wrong, expired or
 * foreign credential is a 401 problem with {@code WWW-Authenticate: Bearer}; an OIDC token that
 * cannot be checked because the issuer's keys cannot be fetched is a 503 problem.
 */
public class ServiceCredentialFilter {

    static final String INTERNAL_PREFIX = "/internal";
    private static final Uni<Response> PASS = Uni.createFrom().nullItem();

    private final ServiceCredentialVerifier verifier;

    public ServiceCredentialFilter(ServiceCredentialVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * A Uni, so that in oidc mode a token signed with a key not fetched yet waits for the issuer's
     * keys without blocking the event loop; everything else completes at once.
     */
    @ServerRequestFilter(preMatching = true)
    public Uni<Response> requireServiceCredential(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!isInternal(path)) {
            return PASS;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Uni.createFrom().item(unauthorized("This route needs the service credential as a bearer token."));
        }
        return verifier.verify(header.substring(7).trim()).map(verdict -> switch (verdict) {
            case ACCEPTED -> null;
            case REFUSED -> unauthorized("The service credential is not valid.");
            case UNVERIFIABLE -> unverifiable();
        });
    }

    static boolean isInternal(String path) {
        // Routing treats "//internal" like "/internal", so the check must too.
        String normalized = path.replaceAll("/{2,}", "/");
        return normalized.equals(INTERNAL_PREFIX) || normalized.startsWith(INTERNAL_PREFIX + "/");
    }

    private static Response unverifiable() {
        Problem problem = Problem.of("unavailable", 503, "Service unavailable",
                "The service credential cannot be checked right now; retry shortly.");
        return Response.fromResponse(ProblemResponses.of(problem)).header("Retry-After", "5").build();
    }

    private static Response unauthorized(String detail) {
        Response problem = ProblemResponses.of(Problem.of("unauthorized", 401, "Unauthorized", detail));
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
