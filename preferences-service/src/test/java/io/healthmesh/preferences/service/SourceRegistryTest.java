package io.healthmesh.preferences.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.vocab.Category;
import io.healthmesh.contracts.vocab.Vocabulary;
import io.healthmesh.preferences.domain.SourceDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SourceRegistryTest {

    private final SourceRegistry registry = new SourceRegistry(new ObjectMapper(), Optional.empty());

    @Test
    void theBuiltInRegistryListsEverySourceWithConsistentRanks() {
        assertThat(registry.all()).extracting(SourceDescriptor::id).containsExactlyInAnyOrderElementsOf(SourceId.ALL);
        for (Category category : Category.values()) {
            for (String source : registry.defaultOrder(category)) {
                assertThat(registry.supplies(source, category)).as("%s supplies %s", source, category).isTrue();
            }
        }
        assertThat(registry.supplies(SourceId.MYFITNESSPAL, Category.SLEEP)).isFalse();
        assertThat(registry.supplies(SourceId.APPLE_HEALTH, Vocabulary.metric("oura_readiness_score").orElseThrow()))
                .isTrue();
        assertThat(registry.find(SourceId.WITHINGS).orElseThrow().appleHealthApps()).contains("Health Mate");
    }

    @Test
    void aBrokenRegistryFileStopsTheServiceWithTheReason(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("sources.json");
        Files.writeString(file, """
                {"categoryOrder": {"activity": ["oura"], "sleep": ["oura"], "body": ["oura"], "heart": ["oura"],
                  "vitals": ["oura"], "nutrition": ["oura"], "workouts": ["oura"], "recovery": ["oura"]},
                 "sources": [{"id": "oura", "displayName": "Oura", "kind": "oauth2", "status": "available",
                              "metrics": ["steps", "sleep_duratoin"]}]}
                """);

        assertThatThrownBy(() -> new SourceRegistry(new ObjectMapper(), Optional.of(file.toString())))
                .hasMessageContaining("unknown metric sleep_duratoin");
    }
}
