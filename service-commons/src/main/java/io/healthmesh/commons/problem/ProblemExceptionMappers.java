package io.healthmesh.commons.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.vertx.core.impl.NoStackTraceThrowable;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure a service can raise into {@code application/problem+json}, so no client
 * ever sees a stack trace or an HTML error page.
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);
    private static final String DATABASE_BUSY_RETRY_SECONDS = "5";

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response response = ProblemResponses.of(e.problem().withInstance(uri.getPath()));
        if (e.retryAfterSeconds().isEmpty()) {
            return response;
        }
        return Response.fromResponse(response).header("Retry-After", e.retryAfterSeconds().getAsLong()).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException parseFailure) {
            // The JSON reader wraps syntax errors in a 400; answer them like every other malformed body.
            return malformedJson(parseFailure, uri);
        }
        int status = e.getResponse().getStatus();
        Problem problem = Problem.of(slugFor(status), status, reasonPhrase(status), detailFor(status, e, uri));
        return ProblemResponses.of(problem.withInstance(uri.getPath()));
    }

    /** Declared for the exact type so it beats the framework's built-in mapper for it. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return malformedJson(e, uri);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        Problem problem = Problem.of("malformed-request", 400, "Bad request",
                "The request body is not valid JSON for this resource: " + describe(e));
        return ProblemResponses.of(problem.withInstance(uri.getPath()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        if (e instanceof WebApplicationException wae) {
            return webApplication(wae, uri);
        }
        if (isDatabaseWaitTimeout(e)) {
            // Overload, not a bug: every pooled connection stayed busy for the pool's whole wait.
            LOG.warnf("No database connection came free in time for %s; answered 503", uri.getPath());
            Problem problem = Problem.of("unavailable", 503, "Service unavailable",
                    "The service is busy; retry in a few seconds.");
            return Response.fromResponse(ProblemResponses.of(problem.withInstance(uri.getPath())))
                    .header("Retry-After", DATABASE_BUSY_RETRY_SECONDS).build();
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "Unhandled failure on %s (incident %s)", uri.getPath(), incident);
        Problem problem = Problem.of("internal-error", 500, "Internal server error",
                "An unexpected error occurred; quote incident " + incident + " when reporting it.");
        return ProblemResponses.of(problem.withInstance(uri.getPath()));
    }

    /**
     * The reactive SQL pool fails a request that waited its whole connection timeout for a free
     * connection with a bare {@code NoStackTraceThrowable("Timeout")} (Vert.x 4.5); nothing else
     * marks it.
     */
    static boolean isDatabaseWaitTimeout(Throwable e) {
        return e instanceof NoStackTraceThrowable && "Timeout".equals(e.getMessage());
    }

    /** Jackson's own messages quote the offending input; keep only the field path and the expected type. */
    private static String describe(JsonProcessingException e) {
        if (e instanceof MismatchedInputException mismatch) {
            String path = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            String expected = mismatch.getTargetType() == null ? "a different value"
                    : mismatch.getTargetType().getSimpleName();
            if (e instanceof InvalidFormatException) {
                return "field '" + path + "' cannot be read as " + expected;
            }
            return path.isEmpty() ? "unexpected structure" : "field '" + path + "' must be " + expected;
        }
        if (e.getLocation() != null) {
            return "syntax error at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        return "syntax error";
    }

    private static String slugFor(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 422 -> "unprocessable";
            case 429 -> "too-many-requests";
            case 501 -> "not-implemented";
            case 503 -> "unavailable";
            default -> status >= 500 ? "server-error" : "client-error";
        };
    }

    private static String reasonPhrase(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "HTTP " + status;
    }

    private static String detailFor(int status, WebApplicationException e, UriInfo uri) {
        if (status == 404) {
            return "No resource at " + uri.getPath();
        }
        if (status == 405) {
            return "This method is not allowed on " + uri.getPath();
        }
        // Framework messages for client errors are safe and useful; server errors stay generic.
        return status < 500 && e.getMessage() != null ? e.getMessage() : reasonPhrase(status);
    }
}
