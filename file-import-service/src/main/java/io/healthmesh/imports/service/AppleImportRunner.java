package io.healthmesh.imports.service;

import io.healthmesh.commons.client.PreferencesClient;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.imports.apple.AppleExportHandler;
import io.healthmesh.imports.apple.AppleExportParser;
import io.healthmesh.imports.apple.MalformedExportException;
import io.healthmesh.imports.apple.ParseSummary;
import io.healthmesh.imports.archive.ExportArchive;
import io.healthmesh.imports.archive.ExportRejectedException;
import io.healthmesh.imports.archive.ExportStream;
import io.healthmesh.imports.domain.ImportJob;
import io.healthmesh.imports.domain.JobProgress;
import io.healthmesh.imports.messaging.RawEventPublisher;
import io.healthmesh.imports.repository.ImportJobRepository;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Apple Health jobs: streams the export (zip or xml) through the parser and publishes every
 * reading and session on raw.apple-health.v1. A malformed file fails with line and column, a
 * hostile one with its reason.
 */
@Singleton
public class AppleImportRunner extends ImportRunner {

    private final PreferencesClient preferences;
    private final ImportService imports;

    public AppleImportRunner(ImportJobRepository jobs, UploadStorage storage, RawEventPublisher publisher,
            @RestClient PreferencesClient preferences, ImportService imports) {
        super(jobs, storage, publisher);
        this.preferences = preferences;
        this.imports = imports;
    }

    @Override
    public String kind() {
        return ImportService.APPLE_HEALTH;
    }

    @Override
    protected String topic(ImportJob job) {
        return Topics.RAW_APPLE_HEALTH;
    }

    @Override
    protected String source(ImportJob job) {
        return SourceId.APPLE_HEALTH;
    }

    @Override
    protected JobProgress read(ImportRun run) throws ImportFailedException, IOException {
        ImportJob job = run.job();
        ZoneId homeZone = homeZone(run);
        try (ExportStream in = ExportArchive.open(Path.of(job.storagePath()), imports.limits())) {
            run.trackBytes(in::compressedBytesRead);
            ParseSummary summary = new AppleExportParser(job.id().toString(), homeZone).parse(in, new AppleExportHandler() {
                @Override
                public void reading(Reading reading) {
                    run.reading(reading);
                }

                @Override
                public void session(Session session) {
                    run.session(session);
                }

                @Override
                public void skipped(String reason) {
                    run.skipped(reason);
                }
            });
            // Read to its end: the whole upload counts as read (a zip's other entries are never needed).
            return new JobProgress(in.totalBytes(), summary.recordsRead(), 0, summary.skippedByReason(), null);
        } catch (MalformedExportException e) {
            throw new ImportFailedException(e.getMessage(), e.line(), e.column());
        } catch (ExportRejectedException e) {
            throw new ImportFailedException(e.getMessage(), null, null);
        }
    }

    /**
     * Samples without an HKTimeZone are placed in the user's home zone: the export's written
     * offsets are the phone's at export time, not when the sample was taken.
     */
    private ZoneId homeZone(ImportRun run) {
        try {
            Policy policy = preferences.policy(run.job().userId()).await().atMost(Duration.ofSeconds(5));
            return policy.homeZone() == null ? null : ZoneId.of(policy.homeZone());
        } catch (RuntimeException e) {
            run.note("home zone unknown (preferences unavailable): samples without HKTimeZone keep their offset");
            return null;
        }
    }
}
