package io.healthmesh.commons.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document. {@code type} is always {@code urn:healthmesh:problem:<slug>} so
 * clients can branch on the slug without parsing human text; per-item failures go in {@code errors}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        List<ProblemItem> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:healthmesh:problem:";

    public static Problem of(String slug, int status, String title, String detail) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, null, null);
    }

    public Problem withErrors(List<ProblemItem> items) {
        return new Problem(type, title, status, detail, instance, List.copyOf(items));
    }

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, errors);
    }

    public String slug() {
        return type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : type;
    }

    /** One offending item of a request: its index in a batch (if any), the field and the reason. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProblemItem(Integer index, String field, String reason) {
    }
}
