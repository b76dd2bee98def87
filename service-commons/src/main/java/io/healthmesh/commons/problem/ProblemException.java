package io.healthmesh.commons.problem;

import java.util.List;

/** Thrown by resources and services to answer with a specific problem document. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.title() + (problem.detail() == null ? "" : ": " + problem.detail()));
        this.problem = problem;
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
}
