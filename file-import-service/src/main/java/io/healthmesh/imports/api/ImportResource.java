package io.healthmesh.imports.api;

import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.imports.csv.CsvMapping;
import io.healthmesh.imports.service.ImportService;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * One user's imports (internal; the gateway maps /api/v1/imports here). An upload answers 202 with
 * the queued job at once; processing runs in the background on whichever replica claims it.
 */
@Path("/internal/users/{userId}/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {

    private final ImportService imports;

    public ImportResource(ImportService imports) {
        this.imports = imports;
    }

    /**
     * The file as the request body (export.zip or export.xml), read on a worker thread straight
     * from the connection (paused while the disk catches up) to storage: the heap never holds more
     * than a few buffers of it, whatever the file's size.
     */
    @POST
    @Path("/apple-health")
    @Consumes({MediaType.APPLICATION_OCTET_STREAM, "application/zip", MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    @Blocking
    @StreamedUpload
    public Response uploadAppleHealth(@RestPath String userId, @RestHeader("X-File-Name") String fileName,
            InputStream body) {
        return Response.accepted(imports.uploadAppleHealth(userId, fileName, body)).build();
    }

    /**
     * The file as the part {@code file} of a multipart form; the HTTP layer parses the form as a
     * stream and writes the part to the storage folder's {@code incoming/}, which is then renamed.
     */
    @POST
    @Path("/apple-health")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Blocking
    @StreamedUpload
    public Response uploadAppleHealthForm(@RestPath String userId, @RestForm("file") FileUpload file) {
        if (file == null || file.uploadedFile() == null) {
            throw ProblemException.badRequest("missing-file",
                    "Send the export as the form part 'file'");
        }
        return Response.accepted(imports.uploadAppleHealth(userId, file.fileName(), file.uploadedFile())).build();
    }

    /** A CSV file as the request body, streamed to storage; answers the job awaiting its mapping, with a preview. */
    @POST
    @Path("/csv")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM, "application/vnd.ms-excel"})
    @Blocking
    @StreamedUpload
    public Response uploadCsv(@RestPath String userId, @RestHeader("X-File-Name") String fileName, InputStream body) {
        return Response.accepted(imports.uploadCsv(userId, fileName, body)).build();
    }

    /** The CSV file as the part {@code file} of a multipart form. */
    @POST
    @Path("/csv")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Blocking
    @StreamedUpload
    public Response uploadCsvForm(@RestPath String userId, @RestForm("file") FileUpload file) {
        if (file == null || file.uploadedFile() == null) {
            throw ProblemException.badRequest("missing-file", "Send the CSV file as the form part 'file'");
        }
        return Response.accepted(imports.uploadCsv(userId, file.fileName(), file.uploadedFile())).build();
    }

    /**
     * The mapping of a CSV job awaiting it (the job's {@code suggestedMapping} as it is, or edited);
     * answers 202 with the job, now queued.
     */
    @POST
    @Path("/{id}/mapping")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response map(@RestPath String userId, @RestPath UUID id, CsvMapping mapping) {
        return Response.accepted(imports.map(userId, id, mapping)).build();
    }

    @GET
    @Path("/{id}")
    @Blocking
    public ImportJobView job(@RestPath String userId, @RestPath UUID id) {
        return imports.find(userId, id);
    }

    @DELETE
    @Path("/{id}")
    @Blocking
    public ImportJobView cancel(@RestPath String userId, @RestPath UUID id) {
        return imports.cancel(userId, id);
    }
}
