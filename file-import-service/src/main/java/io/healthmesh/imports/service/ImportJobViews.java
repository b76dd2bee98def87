package io.healthmesh.imports.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.healthmesh.imports.api.ImportJobView;
import io.healthmesh.imports.csv.CsvMapping;
import io.healthmesh.imports.csv.CsvPreview;
import io.healthmesh.imports.domain.ImportJob;
import io.healthmesh.imports.domain.JobState;
import java.time.Duration;
import java.time.OffsetDateTime;

/** What a stored job looks like to its owner. */
final class ImportJobViews {

    private static final String SUGGESTED_MAPPING = "suggestedMapping";

    private final ObjectMapper json;

    ImportJobViews(ObjectMapper json) {
        this.json = json;
    }

    ImportJobView of(ImportJob job) {
        long published = job.published() != null ? job.published() : job.sent();
        ImportJobView.Failure failure = job.failureReason() == null ? null
                : new ImportJobView.Failure(job.failureReason(), job.failureLine(), job.failureColumn());
        // A CSV job shows its preview and the suggested mapping while it waits for one, then the mapping taken.
        JsonNode preview = null;
        JsonNode suggested = null;
        if (job.previewJson() != null && job.state() == JobState.AWAITING_MAPPING) {
            ObjectNode node = (ObjectNode) tree(job.previewJson());
            suggested = node.remove(SUGGESTED_MAPPING);
            preview = node;
        }
        JsonNode mapping = job.mappingJson() == null ? null : tree(job.mappingJson());
        return new ImportJobView(job.id(), job.kind(), job.state().code(), job.fileName(),
                new ImportJobView.Progress(job.bytesRead(), job.totalBytes(), job.recordsRead(), published,
                        job.skipped()),
                new ImportJobView.Normalizer(job.accepted(), job.rejected()),
                new ImportJobView.Timings(job.createdAt(), job.startedAt(), job.parsedAt(), job.finishedAt(),
                        seconds(job.startedAt(), job.parsedAt()), seconds(job.createdAt(), job.finishedAt())),
                failure, job.errorSample(), preview, suggested, mapping);
    }

    CsvPreview preview(ImportJob job) {
        return read(job.previewJson(), CsvPreview.class);
    }

    CsvMapping mapping(ImportJob job) {
        return read(job.mappingJson(), CsvMapping.class);
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable job column", e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        if (text == null) {
            throw new IllegalStateException("The CSV job has no " + type.getSimpleName());
        }
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable job column", e);
        }
    }

    private static Double seconds(OffsetDateTime from, OffsetDateTime to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis() / 1000.0;
    }
}
