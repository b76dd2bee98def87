package io.healthmesh.imports.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An import job as its owner sees it. {@code progress.published} counts distinct events once the
 * file is read (events the broker acknowledged until then); {@code normalizer} says how many of
 * them the normalizer accepted or refused. A job is done only when those two add up to published.
 * A CSV job in {@code awaiting_mapping} also shows its {@code preview} (dialect, header, first rows,
 * detected preset, zone, notes) and {@code suggestedMapping}; once mapped, the {@code mapping} taken.
 */
public record ImportJobView(
        UUID id,
        String kind,
        String state,
        String fileName,
        Progress progress,
        Normalizer normalizer,
        Timings timings,
        Failure failure,
        List<String> errors,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode preview,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode suggestedMapping,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode mapping) {

    public record Progress(long bytesRead, long totalBytes, long recordsRead, long published,
            Map<String, Long> skipped) {
    }

    public record Normalizer(long accepted, long rejected) {
    }

    public record Timings(OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime parsedAt,
            OffsetDateTime finishedAt, Double parseSeconds, Double totalSeconds) {
    }

    public record Failure(String reason, Integer line, Integer column) {
    }
}
