package io.healthmesh.commons.security;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/**
 * Checks an OIDC client-credentials access token (a JWS-signed JWT) with jose4j: signed by one of
 * the issuer's keys with an asymmetric algorithm (never {@code none}, never HMAC), not expired (a
 * missing {@code exp} is refused), not before its {@code nbf}, with the configured {@code iss} and
 * {@code aud}, and, when configured, the required scope or role.
 *
 * <p>Verification itself is CPU only and runs on the caller's thread (the event loop of a
 * pre-matching filter); only a token whose key id is not among the keys held waits, without
 * blocking, for {@link IssuerKeys} to fetch them. No token or claim reaches a log: refusals are
 * logged at DEBUG by reason only.
 */
final class ServiceTokenVerifier {

    private static final Logger LOG = Logger.getLogger(ServiceTokenVerifier.class);

    private static final AlgorithmConstraints SIGNATURE_ALGORITHMS = new AlgorithmConstraints(
            ConstraintType.PERMIT,
            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
            AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512, AlgorithmIdentifiers.EDDSA);

    enum Verdict {
        ACCEPTED,
        /** Not a valid token of the issuer for this audience. */
        REFUSED,
        /** No key could be had to check it (the issuer is unreachable and nothing is held). */
        UNVERIFIABLE
    }

    private final String issuer;
    private final String audience;
    private final Optional<String> requiredScope;
    private final String scopeClaim;
    private final int clockSkewSeconds;
    private final IssuerKeys keys;
    // The consumer of the key set last used, rebuilt only when the set changes.
    private volatile Checker checker;

    private record Checker(IssuerKeys.Keys keys, JwtConsumer consumer) {
    }

    ServiceTokenVerifier(String issuer, String audience, Optional<String> requiredScope, String scopeClaim,
            Duration clockSkew, IssuerKeys keys) {
        this.issuer = issuer;
        this.audience = audience;
        this.requiredScope = requiredScope;
        this.scopeClaim = scopeClaim;
        this.clockSkewSeconds = (int) Math.min(Integer.MAX_VALUE, clockSkew.toSeconds());
        this.keys = keys;
    }

    IssuerKeys keys() {
        return keys;
    }

    Uni<Verdict> verify(String token) {
        String keyId;
        try {
            JsonWebStructure structure = JsonWebStructure.fromCompactSerialization(token);
            if (!(structure instanceof JsonWebSignature)) {
                // An encrypted token (JWE) is not what a client-credentials grant gives a service.
                return refused("not a signed JWT");
            }
            keyId = structure.getKeyIdHeaderValue();
        } catch (JoseException | RuntimeException e) {
            return refused("not a JWT");
        }
        IssuerKeys.Snapshot held = keys.current();
        if (held.keys() != null && held.keys().covers(keyId)) {
            return Uni.createFrom().item(check(token, held.keys()));
        }
        // Unknown key id (rotation) or no keys yet: fetch them (at most once per interval) without blocking.
        return Uni.createFrom().completionStage(() -> keys.refresh(false)).map(fresh -> {
            if (fresh.keys() != null && fresh.keys().covers(keyId)) {
                return check(token, fresh.keys());
            }
            if (fresh.lastFetchFailed()) {
                LOG.debug("A service token could not be checked: the issuer's keys cannot be fetched");
                return Verdict.UNVERIFIABLE;
            }
            LOG.debug("A service token was refused: signed with a key the issuer does not publish");
            return Verdict.REFUSED;
        });
    }

    private Verdict check(String token, IssuerKeys.Keys keySet) {
        JwtClaims claims;
        try {
            claims = consumerFor(keySet).processToClaims(token);
        } catch (InvalidJwtException e) {
            LOG.debugf("A service token was refused: %s", reasons(e.getErrorDetails()));
            return Verdict.REFUSED;
        }
        if (requiredScope.isPresent() && !scopes(claims.getClaimValue(scopeClaim)).contains(requiredScope.get())) {
            LOG.debugf("A service token was refused: its %s claim lacks the required value", scopeClaim);
            return Verdict.REFUSED;
        }
        return Verdict.ACCEPTED;
    }

    private JwtConsumer consumerFor(IssuerKeys.Keys keySet) {
        Checker current = checker;
        if (current != null && current.keys() == keySet) {
            return current.consumer();
        }
        JwksVerificationKeyResolver resolver = new JwksVerificationKeyResolver(keySet.list());
        // A token without kid, or an issuer that reuses a kid across key types: try the candidates.
        resolver.setDisambiguateWithVerifySignature(true);
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(clockSkewSeconds)
                .setExpectedIssuer(true, issuer)
                .setExpectedAudience(true, audience)
                .setVerificationKeyResolver(resolver)
                .setJwsAlgorithmConstraints(SIGNATURE_ALGORITHMS)
                .build();
        checker = new Checker(keySet, consumer);
        return consumer;
    }

    static Collection<String> scopes(Object claim) {
        if (claim instanceof String text) {
            return List.of(text.trim().split("\\s+"));
        }
        if (claim instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).collect(Collectors.toSet());
        }
        return List.of();
    }

    @Override
    public String toString() {
        return "issuer " + issuer + ", audience " + audience
                + requiredScope.map(scope -> ", " + scopeClaim + " containing " + scope).orElse("");
    }

    private static Uni<Verdict> refused(String why) {
        LOG.debugf("A service token was refused: %s", why);
        return Uni.createFrom().item(Verdict.REFUSED);
    }

    /** The reasons by name only: jose4j's messages quote claim values. */
    private static String reasons(List<ErrorCodeValidator.Error> errors) {
        if (errors == null || errors.isEmpty()) {
            return "invalid";
        }
        return errors.stream().map(error -> switch (error.getErrorCode()) {
            case ErrorCodes.EXPIRED -> "expired";
            case ErrorCodes.EXPIRATION_MISSING -> "no exp";
            case ErrorCodes.NOT_YET_VALID -> "not yet valid";
            case ErrorCodes.AUDIENCE_MISSING, ErrorCodes.AUDIENCE_INVALID -> "wrong audience";
            case ErrorCodes.ISSUER_MISSING, ErrorCodes.ISSUER_INVALID -> "wrong issuer";
            case ErrorCodes.SIGNATURE_INVALID, ErrorCodes.SIGNATURE_MISSING -> "bad signature";
            case ErrorCodes.MALFORMED_CLAIM, ErrorCodes.JSON_INVALID -> "malformed";
            default -> "invalid (code " + error.getErrorCode() + ")";
        }).distinct().collect(Collectors.joining(", "));
    }
}
