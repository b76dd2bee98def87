package io.healthmesh.imports.api;

import io.healthmesh.commons.problem.ProblemResponses;
import io.healthmesh.imports.service.UploadStorage;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses an upload whose {@code Content-Length} is over the limit with a 413 problem before its
 * body is read (a multipart form is otherwise parsed to disk whole before the endpoint runs). A
 * body without a length (chunked) is counted as it streams: {@link UploadStorage} stops a raw body
 * at the limit, and a multipart part over the limit is refused and deleted once parsed.
 */
public class UploadLimitFilter {

    private final UploadStorage storage;

    public UploadLimitFilter(UploadStorage storage) {
        this.storage = storage;
    }

    @ServerRequestFilter
    public Response refuseAnnouncedOversize(ContainerRequestContext request, ResourceInfo resource) {
        if (resource.getResourceMethod() == null || !resource.getResourceMethod().isAnnotationPresent(StreamedUpload.class)) {
            return null;
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return null;
        }
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return null;
        }
        // A multipart body carries a little framing around the file: allow for it here, the part
        // itself is checked against the limit exactly once parsed.
        long allowed = storage.maxBytes() + (isMultipart(request) ? UploadStorage.MULTIPART_FRAMING_ALLOWANCE : 0);
        if (declared > allowed) {
            return ProblemResponses.of(storage.tooLarge().problem());
        }
        return null;
    }

    private static boolean isMultipart(ContainerRequestContext request) {
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        return type != null && type.regionMatches(true, 0, "multipart/", 0, 10);
    }
}
