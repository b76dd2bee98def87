package io.healthmesh.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;

/** One stretch of a single sleep stage inside a sleep session. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SleepStageInterval(SleepStage stage, OffsetDateTime start, OffsetDateTime end) {
}
