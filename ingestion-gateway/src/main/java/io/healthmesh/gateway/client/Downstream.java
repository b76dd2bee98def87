package io.healthmesh.gateway.client;

import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.gateway.config.GatewayConfig;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.VertxException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * Every call from the gateway to an internal service goes through here: a timeout per call, retries
 * for idempotent calls only (GET, PUT, DELETE) when the service could not be reached or answered
 * 502/503/504, and one circuit breaker per service, so a service that is down is answered at once
 * with a 503 problem instead of tying up every request for the whole timeout.
 *
 * <p>The service's answer is relayed as it is (status, problem document, {@code Location},
 * {@code Retry-After}): a 404 or 422 from preferences-service reaches the client unchanged.
 */
@ApplicationScoped
public class Downstream {

    private static final Logger LOG = Logger.getLogger(Downstream.class);
    /** The response headers a client gets from the service it reached through the gateway. */
    static final List<String> RELAYED_HEADERS = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.LOCATION,
            "Retry-After", HttpHeaders.CACHE_CONTROL);
    private static final int UNAVAILABLE_RETRY_SECONDS = 5;

    private final GatewayConfig.Downstream settings;
    private final Map<InternalService, TypedGuard<Uni<Response>>> breakers = new EnumMap<>(InternalService.class);

    public Downstream(GatewayConfig config) {
        this.settings = config.downstream();
        for (InternalService service : InternalService.values()) {
            breakers.put(service, TypedGuard.create(new TypeLiteral<Uni<Response>>() {
            })
                    .withCircuitBreaker()
                    .requestVolumeThreshold(settings.breakerWindow())
                    .failureRatio(0.5)
                    .delay(settings.breakerDelay().toMillis(), ChronoUnit.MILLIS)
                    .failOn(List.of(ServiceUnreachable.class, ServiceTimedOut.class))
                    .done()
                    .build());
        }
    }

    /** A call that may safely be repeated (GET, PUT, DELETE): retried when the service is briefly away. */
    public Uni<Response> idempotent(InternalService service, Supplier<Uni<Response>> call) {
        return call(service, call, true, settings.timeout(), Downstream::relay);
    }

    /** A read of a user's data, which may take long (a year of minute rows); idempotent. */
    public Uni<Response> read(InternalService service, Supplier<Uni<Response>> call) {
        return call(service, call, true, settings.readTimeout(), Downstream::relay);
    }

    /** A call that must not be repeated (POST): one attempt. */
    public Uni<Response> once(InternalService service, Supplier<Uni<Response>> call) {
        return call(service, call, false, settings.timeout(), Downstream::relay);
    }

    /**
     * A raw forward ({@link RawForwarder}) under the service's breaker, its failures mapped like any
     * other call's; one attempt, with the given timeout. Its answer is passed on exactly as the
     * service gave it (a connector's 401 to a forged webhook stays a 401).
     */
    public Uni<Response> forwarded(InternalService service, Supplier<Uni<Response>> call, Duration timeout) {
        return call(service, call, false, timeout, response -> response);
    }

    private Uni<Response> call(InternalService service, Supplier<Uni<Response>> call, boolean idempotent,
            Duration timeout, UnaryOperator<Response> answer) {
        Supplier<Uni<Response>> attempt = () -> Uni.createFrom().<Response>deferred(call::get)
                // A REST client may still report a status >= 400 as an exception carrying the response.
                .onFailure(WebApplicationException.class)
                .recoverWithItem(e -> ((WebApplicationException) e).getResponse())
                .ifNoItem().after(timeout).failWith(() -> new ServiceTimedOut(service, timeout))
                .onFailure(Downstream::isConnectFailure).transform(e -> new ServiceUnreachable(service, e))
                .map(response -> failIfUnavailable(service, response));
        Supplier<Uni<Response>> attempts = idempotent
                ? () -> attempt.get().onFailure(ServiceUnreachable.class).retry()
                        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(1)).atMost(settings.retries())
                : attempt;
        return breakers.get(service).get(attempts)
                .map(answer)
                .onFailure().recoverWithItem(e -> answerFor(service, e, answer));
    }

    /** A 502/503/504 from the service counts as the service being away (breaker, retries). */
    private static Response failIfUnavailable(InternalService service, Response response) {
        int status = response.getStatus();
        if (status == 502 || status == 503 || status == 504) {
            throw new ServiceUnreachable(service, response);
        }
        return response;
    }

    private static boolean isConnectFailure(Throwable e) {
        // Refused or reset connections arrive wrapped (ProcessingException, CompletionException, ...).
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof VertxException) {
                return true;
            }
        }
        return false;
    }

    private Response answerFor(InternalService service, Throwable e, UnaryOperator<Response> answer) {
        if (e instanceof ServiceUnreachable unreachable && unreachable.response != null) {
            return answer.apply(unreachable.response);
        }
        if (e instanceof CircuitBreakerOpenException) {
            long pause = settings.breakerDelay().toSeconds();
            return problem(Problem.of("service-unavailable", 503, "Service unavailable", service.configKey()
                    + " has been failing; the gateway does not call it for up to " + pause + " s."), (int) Math.max(1, pause));
        }
        if (e instanceof ServiceUnreachable) {
            return problem(Problem.of("service-unavailable", 503, "Service unavailable",
                    service.configKey() + " is not answering; try again shortly."), UNAVAILABLE_RETRY_SECONDS);
        }
        if (e instanceof ServiceTimedOut timedOut) {
            return problem(Problem.of("service-timeout", 504, "Gateway timeout", service.configKey()
                    + " did not answer within " + timedOut.timeout.toSeconds() + " s."), null);
        }
        if (e instanceof ProblemException problem) {
            return problem(problem.problem(), null);
        }
        LOG.errorf(e, "Call to %s failed", service.configKey());
        return problem(Problem.of("bad-gateway", 502, "Bad gateway",
                "The call to " + service.configKey() + " failed."), null);
    }

    /**
     * The service's answer as the client gets it. A 401 here means the service refused the
     * gateway's own credential (no internal user route answers 401 otherwise), a configuration
     * fault the client can do nothing about: 502.
     */
    static Response relay(Response response) {
        int status = response.getStatus();
        if (status == 401) {
            LOG.errorf("An internal service refused the gateway's service credential (%d)", status);
            return problem(Problem.of("bad-gateway", 502, "Bad gateway",
                    "An internal service refused the gateway's credential."), null);
        }
        Response.ResponseBuilder relayed = Response.status(status);
        for (String header : RELAYED_HEADERS) {
            String value = response.getHeaderString(header);
            if (value != null) {
                relayed.header(header, value);
            }
        }
        if (response.hasEntity()) {
            relayed.entity(response.readEntity(byte[].class));
        }
        return relayed.build();
    }

    private static Response problem(Problem problem, Integer retryAfterSeconds) {
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (retryAfterSeconds != null) {
            response.header("Retry-After", retryAfterSeconds);
        }
        return response.build();
    }

    /** The service could not be reached, or said it is unavailable (kept to relay its answer). */
    static final class ServiceUnreachable extends RuntimeException {
        final transient Response response;

        ServiceUnreachable(InternalService service, Throwable cause) {
            super(service.configKey() + " unreachable", cause, false, false);
            this.response = null;
        }

        ServiceUnreachable(InternalService service, Response response) {
            super(service.configKey() + " answered " + response.getStatus(), null, false, false);
            this.response = response;
        }
    }

    static final class ServiceTimedOut extends RuntimeException {
        final Duration timeout;

        ServiceTimedOut(InternalService service, Duration timeout) {
            super(service.configKey() + " timed out", null, false, false);
            this.timeout = timeout;
        }
    }
}
