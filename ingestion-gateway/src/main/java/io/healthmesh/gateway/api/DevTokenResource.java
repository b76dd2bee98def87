package io.healthmesh.gateway.api;

import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.gateway.config.GatewayConfig;
import io.smallrye.jwt.build.Jwt;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Local and test tokens: signs a token for any user id with the configured local key. The same jar
 * serves every environment, so the route checks the runtime flag {@code healthmesh.dev-tokens} on
 * every call and answers 404 (as for an unknown route) when it is off, as it is in {@code %prod}.
 */
@Path("/api/v1/dev/token")
@Tag(name = "dev")
public class DevTokenResource {

    private final boolean enabled;
    private final String issuer;
    private final GatewayConfig config;

    public DevTokenResource(@ConfigProperty(name = "healthmesh.dev-tokens", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer, GatewayConfig config) {
        this.enabled = enabled;
        this.issuer = issuer;
        this.config = config;
    }

    public record TokenRequest(String userId) {
    }

    public record TokenResponse(String accessToken, String tokenType, long expiresIn) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A signed token for a user id (only where healthmesh.dev-tokens is on; 404 otherwise)")
    public TokenResponse token(TokenRequest request) {
        if (!enabled) {
            throw ProblemException.notFound("not-found", "No such route.");
        }
        if (request == null || request.userId() == null || request.userId().isBlank()) {
            throw ProblemException.badRequest("missing-user-id", "Send {\"userId\": \"...\"}.");
        }
        if (request.userId().length() > 200) {
            throw ProblemException.badRequest("invalid-user-id", "A user id has at most 200 characters.");
        }
        long lifespan = config.devTokens().lifespan().toSeconds();
        Instant now = Instant.now();
        String token = Jwt.issuer(issuer)
                .subject(request.userId())
                .issuedAt(now)
                .expiresAt(now.plusSeconds(lifespan))
                .sign();
        return new TokenResponse(token, "Bearer", lifespan);
    }
}
