package io.healthmesh.gateway.security;

import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemResponses;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A missing, expired, forged or foreign token is a 401 problem (with {@code WWW-Authenticate}),
 * never Quarkus's empty 401 and never a 500. Authentication is not proactive, so these failures
 * reach the REST layer and its problem documents.
 */
public class AuthenticationProblems {

    @ServerExceptionMapper
    public Response missing(UnauthorizedException e, UriInfo uri) {
        return unauthorized("invalid_request", "This route needs a bearer token (Authorization: Bearer <JWT>).", uri);
    }

    @ServerExceptionMapper
    public Response invalid(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized("invalid_token",
                "The bearer token is not valid: expired, not signed by the configured issuer, or malformed.", uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return ProblemResponses.of(Problem.of("forbidden", 403, "Forbidden", "This token may not use this route.")
                .withInstance(uri.getPath()));
    }

    private static Response unauthorized(String error, String detail, UriInfo uri) {
        Response problem = ProblemResponses.of(
                Problem.of("unauthorized", 401, "Unauthorized", detail).withInstance(uri.getPath()));
        return Response.fromResponse(problem)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"" + error + "\"")
                .build();
    }
}
