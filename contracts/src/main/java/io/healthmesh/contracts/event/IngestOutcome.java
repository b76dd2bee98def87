package io.healthmesh.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.OffsetDateTime;

/**
 * The normalizer's running verdict on one import job ({@code ingest.outcome.v1}, keyed and
 * compacted by job id): how many distinct events of the job it accepted and rejected so far, the
 * latest outcome of an event winning. Counts only grow in total, so a reader keeps the message with
 * the latest {@code updatedAt}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IngestOutcome(String importJobId, long accepted, long rejected, OffsetDateTime updatedAt) {
}
