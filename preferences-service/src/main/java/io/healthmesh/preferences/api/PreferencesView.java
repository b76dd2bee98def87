package io.healthmesh.preferences.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** Everything a user decides, with the defaults filled in and marked as such. */
public record PreferencesView(
        String userId,
        long version,
        Zone homeZone,
        Map<String, Choice> categories,
        Map<String, Choice> metrics,
        Map<String, DeviceChoice> devices) {

    public record Zone(String zone, @JsonProperty("default") boolean isDefault) {
    }

    public record Choice(List<String> sources, @JsonProperty("default") boolean isDefault) {
    }

    public record DeviceChoice(List<String> devices, @JsonProperty("default") boolean isDefault) {
    }
}
