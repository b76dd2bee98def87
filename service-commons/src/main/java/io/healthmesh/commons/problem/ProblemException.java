package io.healthmesh.commons.problem;

import java.util.List;
import java.util.OptionalLong;

/** Thrown by resources and services to answer with a specific problem document. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final Long retryAfterSeconds;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    private ProblemException(Problem problem, Long retryAfterSeconds) {
        super(problem.title() + (problem.detail() == null ? "" : ": " + problem.detail()));
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The same problem, answered with {@code Retry-After: seconds} (a 503, a 409 of work in progress, ...). */
    public ProblemException withRetryAfter(long seconds) {
        return new ProblemException(problem, Math.max(0, seconds));
    }

    public static ProblemException badRequest(String slug, String detail) {
        return new ProblemException(Problem.of(slug, 400, "Bad request", detail));
    }

    public static ProblemException notFound(String slug, String detail) {
        return new ProblemException(Problem.of(slug, 404, "Not found", detail));
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(Problem.of(slug, 409, "Conflict", detail));
    }

    public static ProblemException unprocessable(String slug, String detail, List<Problem.ProblemItem> errors) {
        Problem problem = Problem.of(slug, 422, "Unprocessable content", detail);
        return new ProblemException(errors == null || errors.isEmpty() ? problem : problem.withErrors(errors));
    }

    public static ProblemException unavailable(String slug, String detail) {
        return new ProblemException(Problem.of(slug, 503, "Service unavailable", detail));
    }

    public Problem problem() {
        return problem;
    }

    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds == null ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }
}
