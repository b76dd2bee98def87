package io.healthmesh.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a source tells about a session beyond its interval. Sleep sources give either stage
 * intervals or, when they only know totals, stage totals; workouts give activity type, distance,
 * energy and heart rate. Absent facts stay null.
 *
 * <p>Units are fixed here (unlike readings) because each producer converts them with {@code Units}
 * before sending.
 *
 * @param stages sleep stage intervals, in time order (JSON {@code stages})
 * @param stageTotalsSeconds seconds spent in each stage (JSON {@code stageTotals})
 * @param activityType the source's workout activity name, e.g. {@code running}
 * @param distanceMeters workout distance in metres (JSON {@code distance})
 * @param energyKcal workout active energy in kcal (JSON {@code energy})
 * @param heartRate heart rate statistics in beats per minute
 * @param efficiency sleep efficiency in percent, 0-100
 * @param latencySeconds seconds from going to bed to falling asleep (JSON {@code latency})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionDetails(
        @JsonProperty("stages") List<SleepStageInterval> stages,
        @JsonProperty("stageTotals") Map<SleepStage, Double> stageTotalsSeconds,
        @JsonProperty("activityType") String activityType,
        @JsonProperty("distance") Double distanceMeters,
        @JsonProperty("energy") Double energyKcal,
        @JsonProperty("heartRate") HeartRateStats heartRate,
        @JsonProperty("efficiency") Double efficiency,
        @JsonProperty("latency") Double latencySeconds) {

    public SessionDetails {
        // Unmodifiable copies keep the record a value; the enum map keeps stage order stable in JSON.
        stages = stages == null ? null : Collections.unmodifiableList(new ArrayList<>(stages));
        if (stageTotalsSeconds != null) {
            Map<SleepStage, Double> copy = new EnumMap<>(SleepStage.class);
            copy.putAll(stageTotalsSeconds);
            stageTotalsSeconds = Collections.unmodifiableMap(copy);
        }
    }

    public static SessionDetails ofStages(List<SleepStageInterval> stages) {
        return builder().stages(stages).build();
    }

    public static SessionDetails ofStageTotals(Map<SleepStage, Double> stageTotalsSeconds) {
        return builder().stageTotalsSeconds(stageTotalsSeconds).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private List<SleepStageInterval> stages;
        private Map<SleepStage, Double> stageTotalsSeconds;
        private String activityType;
        private Double distanceMeters;
        private Double energyKcal;
        private HeartRateStats heartRate;
        private Double efficiency;
        private Double latencySeconds;

        private Builder() {
        }

        public Builder stages(List<SleepStageInterval> stages) {
            this.stages = stages;
            return this;
        }

        public Builder stageTotalsSeconds(Map<SleepStage, Double> stageTotalsSeconds) {
            this.stageTotalsSeconds = stageTotalsSeconds;
            return this;
        }

        public Builder activityType(String activityType) {
            this.activityType = activityType;
            return this;
        }

        public Builder distanceMeters(Double distanceMeters) {
            this.distanceMeters = distanceMeters;
            return this;
        }

        public Builder energyKcal(Double energyKcal) {
            this.energyKcal = energyKcal;
            return this;
        }

        public Builder heartRate(HeartRateStats heartRate) {
            this.heartRate = heartRate;
            return this;
        }

        public Builder efficiency(Double efficiency) {
            this.efficiency = efficiency;
            return this;
        }

        public Builder latencySeconds(Double latencySeconds) {
            this.latencySeconds = latencySeconds;
            return this;
        }

        public SessionDetails build() {
            return new SessionDetails(stages, stageTotalsSeconds, activityType, distanceMeters, energyKcal,
                    heartRate, efficiency, latencySeconds);
        }
    }
}
