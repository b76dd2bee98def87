package io.healthmesh.imports.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.commons.client.PreferencesClient;
import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.imports.api.ImportJobView;
import io.healthmesh.imports.archive.ArchiveLimits;
import io.healthmesh.imports.archive.ExportArchive;
import io.healthmesh.imports.archive.ExportStream;
import io.healthmesh.imports.archive.ExportRejectedException;
import io.healthmesh.imports.config.ImportConfig;
import io.healthmesh.imports.csv.CsvInspector;
import io.healthmesh.imports.csv.CsvMapping;
import io.healthmesh.imports.csv.CsvMappingValidator;
import io.healthmesh.imports.csv.CsvPreview;
import io.healthmesh.imports.csv.CsvRejectedException;
import io.healthmesh.imports.domain.ImportJob;
import io.healthmesh.imports.domain.JobState;
import io.healthmesh.imports.repository.ImportJobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Accepts uploads as jobs and answers questions about them. An upload is stored, checked for what
 * can be checked at once (is it an export, is the archive hostile), and queued; a replica's
 * worker processes it in the background. Everything refused leaves nothing behind.
 */
@ApplicationScoped
public class ImportService {

    public static final String APPLE_HEALTH = "apple_health";
    public static final String CSV = "csv";
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);

    private final ImportJobRepository jobs;
    private final UploadStorage storage;
    private final ImportConfig config;
    private final PreferencesClient preferences;
    private final ObjectMapper json;
    private final ImportJobViews views;

    public ImportService(ImportJobRepository jobs, UploadStorage storage, ImportConfig config,
            @RestClient PreferencesClient preferences, ObjectMapper json) {
        this.jobs = jobs;
        this.storage = storage;
        this.config = config;
        this.preferences = preferences;
        this.json = json;
        this.views = new ImportJobViews(json);
    }

    /** Runs on a worker thread: it reads the request body to disk. */
    public ImportJobView uploadAppleHealth(String userId, String fileName, InputStream body) {
        UUID id = UUID.randomUUID();
        long size = storage.store(id, body);
        return queueApple(userId, fileName, id, size);
    }

    public ImportJobView uploadAppleHealth(String userId, String fileName, Path uploaded) {
        UUID id = UUID.randomUUID();
        long size = storage.adopt(id, uploaded);
        return queueApple(userId, fileName, id, size);
    }

    /** Runs on a worker thread: it reads the request body to disk, then sniffs the file for its preview. */
    public ImportJobView uploadCsv(String userId, String fileName, InputStream body) {
        UUID id = UUID.randomUUID();
        long size = storage.store(id, body);
        return awaitMapping(userId, fileName, id, size);
    }

    public ImportJobView uploadCsv(String userId, String fileName, Path uploaded) {
        UUID id = UUID.randomUUID();
        long size = storage.adopt(id, uploaded);
        return awaitMapping(userId, fileName, id, size);
    }

    /**
     * Accepts the mapping of a CSV job waiting for one and queues the job; a mapping that does not
     * fit the file is refused with every problem named, and the job keeps waiting.
     */
    public ImportJobView map(String userId, UUID id, CsvMapping mapping) {
        ImportJob job = owned(userId, id);
        if (!CSV.equals(job.kind())) {
            throw ProblemException.conflict("not-a-csv-import", "Only CSV imports take a mapping");
        }
        if (job.state() != JobState.AWAITING_MAPPING) {
            throw ProblemException.conflict("mapping-closed", "The import is " + job.state().code()
                    + "; a mapping is taken only while it is awaiting_mapping");
        }
        if (mapping == null) {
            throw ProblemException.badRequest("missing-mapping", "Send the mapping as the JSON body");
        }
        CsvPreview preview = views.preview(job);
        List<String> problems = CsvMappingValidator.problems(mapping, preview.header());
        if (!problems.isEmpty()) {
            throw new ProblemException(Problem.of("invalid-mapping", 422, "Unprocessable content",
                    "The mapping does not fit the file: " + problems.size() + " problem(s)")
                    .withErrors(problems.stream().map(ImportService::problemItem).toList()));
        }
        if (!jobs.map(id, userId, write(mapping)).await().atMost(DB_TIMEOUT)) {
            throw ProblemException.conflict("mapping-closed", "The import no longer waits for a mapping");
        }
        return find(userId, id);
    }

    public ImportJobView find(String userId, UUID id) {
        return views.of(owned(userId, id));
    }

    public ImportJobView cancel(String userId, UUID id) {
        ImportJob job = owned(userId, id);
        if (!job.state().isFinal()) {
            jobs.requestCancel(id, userId).await().atMost(DB_TIMEOUT);
            ImportJob after = owned(userId, id);
            if (after.state() == JobState.CANCELLED) {
                storage.delete(id);
            }
            return views.of(after);
        }
        throw ProblemException.conflict("job-finished", "The job is already " + job.state().code());
    }

    private ImportJobView queueApple(String userId, String fileName, UUID id, long size) {
        if (size == 0) {
            storage.delete(id);
            throw unsupported("The upload is empty");
        }
        try (ExportStream check = ExportArchive.open(storage.pathOf(id), limits())) {
            // Opening sniffs the type and reads the zip's directory: enough to refuse at once.
        } catch (ExportRejectedException e) {
            storage.delete(id);
            throw rejected(e);
        } catch (IOException e) {
            storage.delete(id);
            throw unsupported("The upload cannot be read as an Apple Health export: " + e.getMessage());
        }
        Path path = storage.pathOf(id);
        try {
            jobs.create(id, userId, APPLE_HEALTH, JobState.QUEUED, safeName(fileName), path.toString(), size, null)
                    .await().atMost(DB_TIMEOUT);
        } catch (RuntimeException e) {
            storage.delete(id);
            throw e;
        }
        return find(userId, id);
    }

    private ImportJobView awaitMapping(String userId, String fileName, UUID id, long size) {
        if (size == 0) {
            storage.delete(id);
            throw unsupported("The upload is empty");
        }
        String homeZone = homeZone(userId);
        CsvPreview preview;
        try {
            preview = new CsvInspector().inspect(storage.pathOf(id), safeName(fileName), homeZone);
        } catch (CsvRejectedException e) {
            storage.delete(id);
            throw unsupported(e.getMessage());
        } catch (IOException e) {
            storage.delete(id);
            throw unsupported("The upload cannot be read as a CSV file: " + e.getMessage());
        }
        try {
            jobs.create(id, userId, CSV, JobState.AWAITING_MAPPING, safeName(fileName), storage.pathOf(id).toString(),
                    size, write(preview)).await().atMost(DB_TIMEOUT);
        } catch (RuntimeException e) {
            storage.delete(id);
            throw e;
        }
        return find(userId, id);
    }

    /** The user's home zone for wall-clock times without a zone; null when unknown (the preview then says UTC). */
    private String homeZone(String userId) {
        try {
            Policy policy = preferences.policy(userId).await().atMost(Duration.ofSeconds(5));
            return policy.homeZone();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The validator writes "field: reason"; the problem lists them as items. */
    private static Problem.ProblemItem problemItem(String problem) {
        int colon = problem.indexOf(": ");
        return colon < 0 ? new Problem.ProblemItem(null, null, problem)
                : new Problem.ProblemItem(null, problem.substring(0, colon), problem.substring(colon + 2));
    }

    public ArchiveLimits limits() {
        return new ArchiveLimits(config.zip().maxEntries(), config.zip().maxUncompressedBytes(),
                config.zip().maxCompressionRatio());
    }

    private ImportJob owned(String userId, UUID id) {
        // Another user's job is answered exactly like a job that does not exist.
        return jobs.find(id).await().atMost(DB_TIMEOUT).filter(job -> job.userId().equals(userId))
                .orElseThrow(() -> ProblemException.notFound("import-not-found", "No import " + id));
    }

    /** Hostile archives and files that are not exports are both refused; the slug tells them apart. */
    private static ProblemException rejected(ExportRejectedException e) {
        String slug = e.reason().hostile() ? "hostile-file" : "unsupported-file";
        return new ProblemException(Problem.of(slug, 422, "Unprocessable content", e.getMessage()));
    }

    private static ProblemException unsupported(String detail) {
        return new ProblemException(Problem.of("unsupported-file", 422, "Unprocessable content", detail));
    }

    /** Only the last path segment of a client-given name, for display; never used as a path. */
    private static String safeName(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return null;
        }
        String normalized = fileName.replace('\\', '/');
        String name = normalized.substring(normalized.lastIndexOf('/') + 1);
        return name.length() > 200 ? name.substring(0, 200) : name;
    }
}
