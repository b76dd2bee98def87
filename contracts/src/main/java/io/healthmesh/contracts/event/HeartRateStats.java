package io.healthmesh.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Heart rate over a workout, in beats per minute; any of the three may be unknown. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeartRateStats(Double average, Double min, Double max) {
}
