package io.healthmesh.gateway.api;

import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemResponses;
import io.healthmesh.gateway.service.RateLimiter;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Counts each authenticated request against its user's budget and answers 429 with Retry-After
 * when it is spent. Anonymous requests (webhooks, the connect callback, a request whose token is
 * refused) are not counted here: the authenticated routes refuse them anyway.
 */
public class RateLimitFilter {

    private static final Logger LOG = Logger.getLogger(RateLimitFilter.class);

    private final RateLimiter limiter;
    private final CurrentIdentityAssociation identities;

    public RateLimitFilter(RateLimiter limiter, CurrentIdentityAssociation identities) {
        this.limiter = limiter;
        this.identities = identities;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 10)
    public Uni<Response> limitRate() {
        if (!limiter.enabled()) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity()
                .onFailure().recoverWithNull()
                .chain(identity -> {
                    String userId = subjectOf(identity);
                    if (userId == null) {
                        return Uni.createFrom().nullItem();
                    }
                    return limiter.admit(userId)
                            .map(wait -> wait.isEmpty() ? null : tooMany(wait.getAsLong()))
                            // Without its database the limit cannot be counted; reads and pushes go on
                            // (each has its own guards) rather than every route failing with it.
                            .onFailure().recoverWithItem(e -> {
                                LOG.warnf("Rate limit not counted (%s); request let through", e.getMessage());
                                return null;
                            });
                });
    }

    private static String subjectOf(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return null;
        }
        return token.getSubject();
    }

    private static Response tooMany(long retryAfterSeconds) {
        Response problem = ProblemResponses.of(Problem.of("rate-limited", 429, "Too many requests",
                "This user's request budget is spent; retry after " + retryAfterSeconds + " s."));
        return Response.fromResponse(problem).header("Retry-After", retryAfterSeconds).build();
    }
}
