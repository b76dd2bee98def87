package io.healthmesh.gateway.security;

import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The user a request acts for: the subject of its verified bearer token. Every {@code /me/...}
 * route maps to this id, never to an id taken from the request, so one user cannot reach another's data.
 */
@RequestScoped
public class CurrentUser {

    private final JsonWebToken token;

    public CurrentUser(JsonWebToken token) {
        this.token = token;
    }

    public String id() {
        String subject = token.getSubject();
        if (subject == null || subject.isBlank()) {
            // smallrye-jwt falls back to upn or preferred_username for the principal; the API is keyed by sub only.
            throw new ProblemException(Problem.of("unauthorized", 401, "Unauthorized",
                    "The bearer token has no subject (sub)."));
        }
        return subject;
    }
}
