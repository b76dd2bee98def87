package io.healthmesh.imports.service;

import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.imports.api.ImportJobView;
import io.healthmesh.imports.archive.ArchiveLimits;
import io.healthmesh.imports.archive.ExportArchive;
import io.healthmesh.imports.archive.ExportStream;
import io.healthmesh.imports.archive.ExportRejectedException;
import io.healthmesh.imports.config.ImportConfig;
import io.healthmesh.imports.domain.ImportJob;
import io.healthmesh.imports.domain.JobState;
import io.healthmesh.imports.repository.ImportJobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * Accepts uploads as jobs and answers questions about them. An upload is stored, checked for what
 * can be checked at once (is it an export, is the archive hostile), and queued; a replica's
 * worker processes it in the background. Everything refused leaves nothing behind.
 */
@ApplicationScoped
public class ImportService {

    public static final String APPLE_HEALTH = "apple_health";
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);

    private final ImportJobRepository jobs;
    private final UploadStorage storage;
    private final ImportConfig config;

    public ImportService(ImportJobRepository jobs, UploadStorage storage, ImportConfig config) {
        this.jobs = jobs;
        this.storage = storage;
        this.config = config;
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

    public ImportJobView find(String userId, UUID id) {
        return ImportJobViews.of(owned(userId, id));
    }

    public ImportJobView cancel(String userId, UUID id) {
        ImportJob job = owned(userId, id);
        if (!job.state().isFinal()) {
            jobs.requestCancel(id, userId).await().atMost(DB_TIMEOUT);
            ImportJob after = owned(userId, id);
            if (after.state() == JobState.CANCELLED) {
                storage.delete(id);
            }
            return ImportJobViews.of(after);
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
            jobs.create(id, userId, APPLE_HEALTH, JobState.QUEUED, safeName(fileName), path.toString(), size)
                    .await().atMost(DB_TIMEOUT);
        } catch (RuntimeException e) {
            storage.delete(id);
            throw e;
        }
        return find(userId, id);
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
