package io.healthmesh.imports.service;

import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.imports.config.ImportConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Uploads on storage every replica can read ({@code healthmesh.imports.storage-dir}, a shared
 * volume in production), streamed to disk and never held in memory, one file per job.
 */
@ApplicationScoped
public class UploadStorage {

    private static final Logger LOG = Logger.getLogger(UploadStorage.class);
    private static final int COPY_BUFFER = 1 << 16;
    /** What a multipart body may carry around its file (boundaries, part headers) beyond the limit. */
    public static final long MULTIPART_FRAMING_ALLOWANCE = 64 * 1024;

    private final Path directory;
    private final long maxBytes;

    public UploadStorage(ImportConfig config) {
        this.directory = Path.of(config.storageDir()).toAbsolutePath();
        this.maxBytes = config.maxUploadBytes();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the upload folder " + directory, e);
        }
    }

    /** Largest upload accepted, in bytes ({@code healthmesh.imports.max-upload-bytes}). */
    public long maxBytes() {
        return maxBytes;
    }

    public Path pathOf(UUID jobId) {
        return directory.resolve(jobId + ".upload");
    }

    /** A job's scratch folder (spill files), removed with the upload. */
    public Path scratchOf(UUID jobId) {
        return directory.resolve(jobId + ".work");
    }

    /**
     * Streams a request body to the job's file through one 64 KB buffer; refuses (and removes the
     * part written) as soon as the body goes beyond the limit.
     */
    public long store(UUID jobId, InputStream body) {
        Path target = pathOf(jobId);
        long written = 0;
        byte[] buffer = new byte[COPY_BUFFER];
        try (OutputStream out = Files.newOutputStream(target)) {
            int read;
            while ((read = body.read(buffer)) != -1) {
                written += read;
                if (written > maxBytes) {
                    throw tooLarge();
                }
                out.write(buffer, 0, read);
            }
        } catch (IOException e) {
            delete(jobId);
            throw new UncheckedIOException("Cannot store the upload", e);
        } catch (RuntimeException e) {
            delete(jobId);
            throw e;
        }
        return written;
    }

    /**
     * Takes over a file the HTTP layer already streamed to disk (a multipart part, written under
     * the storage folder's {@code incoming/}, so this is a rename); refuses and deletes it beyond the limit.
     */
    public long adopt(UUID jobId, Path uploaded) {
        try {
            long size = Files.size(uploaded);
            if (size > maxBytes) {
                delete(uploaded);
                throw tooLarge();
            }
            Files.move(uploaded, pathOf(jobId), StandardCopyOption.REPLACE_EXISTING);
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the upload", e);
        }
    }

    public void delete(UUID jobId) {
        delete(pathOf(jobId));
        deleteTree(scratchOf(jobId));
    }

    public void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("Could not delete %s: %s", file, e.getMessage());
        }
    }

    private void deleteTree(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (var files = Files.list(folder)) {
            files.forEach(this::delete);
        } catch (IOException e) {
            LOG.warnf("Could not clean %s: %s", folder, e.getMessage());
        }
        delete(folder);
    }

    public ProblemException tooLarge() {
        return new ProblemException(Problem.of("payload-too-large", 413, "Payload too large",
                "Uploads are limited to " + maxBytes + " bytes"));
    }
}
