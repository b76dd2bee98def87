package io.healthmesh.imports.service;

import io.healthmesh.imports.api.ImportJobView;
import io.healthmesh.imports.domain.ImportJob;
import java.time.Duration;
import java.time.OffsetDateTime;

/** What a stored job looks like to its owner. */
final class ImportJobViews {

    private ImportJobViews() {
    }

    static ImportJobView of(ImportJob job) {
        long published = job.published() != null ? job.published() : job.sent();
        ImportJobView.Failure failure = job.failureReason() == null ? null
                : new ImportJobView.Failure(job.failureReason(), job.failureLine(), job.failureColumn());
        return new ImportJobView(job.id(), job.kind(), job.state().code(), job.fileName(),
                new ImportJobView.Progress(job.bytesRead(), job.totalBytes(), job.recordsRead(), published,
                        job.skipped()),
                new ImportJobView.Normalizer(job.accepted(), job.rejected()),
                new ImportJobView.Timings(job.createdAt(), job.startedAt(), job.parsedAt(), job.finishedAt(),
                        seconds(job.startedAt(), job.parsedAt()), seconds(job.createdAt(), job.finishedAt())),
                failure, job.errorSample());
    }

    private static Double seconds(OffsetDateTime from, OffsetDateTime to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis() / 1000.0;
    }
}
