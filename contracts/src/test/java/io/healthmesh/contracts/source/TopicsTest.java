package io.healthmesh.contracts.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.healthmesh.contracts.source.Topics.ProducerPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicsTest {

    /** Written by the deploy scripts' author; the local stack creates exactly these topics. */
    private static final Path DEPLOY_TOPICS = Path.of("..", "deploy", "local", "topics.txt");

    @Test
    void eachProducerPathHasItsRawTopic() {
        assertEquals(Topics.RAW_WITHINGS, Topics.rawTopicFor(ProducerPath.WITHINGS_CONNECTOR));
        assertEquals(Topics.RAW_OURA, Topics.rawTopicFor(ProducerPath.OURA_CONNECTOR));
        assertEquals(Topics.RAW_APPLE_HEALTH, Topics.rawTopicFor(ProducerPath.APPLE_IMPORT));
        assertEquals(Topics.RAW_CSV, Topics.rawTopicFor(ProducerPath.CSV_IMPORT));
        assertEquals(Topics.RAW_PUSH, Topics.rawTopicFor(ProducerPath.PUSH));
        Set<String> reached = new HashSet<>();
        for (ProducerPath path : ProducerPath.values()) {
            reached.add(Topics.rawTopicFor(path));
        }
        assertEquals(Set.copyOf(Topics.RAW_TOPICS), reached);
    }

    @Test
    void theTopicFollowsTheProducerPathNotTheSource() {
        assertEquals(Set.of("withings"), Topics.sourcesAllowedOn("raw.withings.v1"));
        assertEquals(Set.of("oura"), Topics.sourcesAllowedOn("raw.oura.v1"));
        assertEquals(Set.of("apple_health"), Topics.sourcesAllowedOn("raw.apple-health.v1"));
        assertEquals(Set.of("csv", "myfitnesspal", "cronometer"), Topics.sourcesAllowedOn("raw.csv.v1"));
        assertEquals(Set.of("push", "apple_health"), Topics.sourcesAllowedOn("raw.push.v1"));
        assertEquals(Set.of(), Topics.sourcesAllowedOn("preferences.v1"));
        assertEquals(Set.of(), Topics.sourcesAllowedOn("raw.csv.v1.dlq"));
        assertEquals(Set.of(), Topics.sourcesAllowedOn(null));
    }

    @Test
    void everyAllowedSourceIsKnown() {
        for (String topic : Topics.RAW_TOPICS) {
            assertFalse(Topics.sourcesAllowedOn(topic).isEmpty(), topic);
            Topics.sourcesAllowedOn(topic).forEach(source -> assertTrue(SourceId.isKnown(source), source));
        }
    }

    @Test
    void deadLetterTopicsAppendDlq() {
        assertEquals("raw.oura.v1.dlq", Topics.dlq(Topics.RAW_OURA));
        assertEquals("t42.raw.oura.v1.dlq", Topics.dlq(Topics.prefixed("t42.", Topics.RAW_OURA)));
    }

    @Test
    void topicMapListsEveryTopicOnce() {
        List<TopicSpec> all = Topics.all();
        Set<String> names = all.stream().map(TopicSpec::name).collect(Collectors.toSet());

        assertEquals(13, all.size());
        assertEquals(all.size(), names.size());
        for (String raw : Topics.RAW_TOPICS) {
            assertTrue(all.contains(new TopicSpec(raw, 6, "delete")), raw);
            assertTrue(all.contains(new TopicSpec(raw + ".dlq", 1, "delete")), raw + ".dlq");
        }
        assertTrue(all.contains(new TopicSpec("ingest.outcome.v1", 3, "compact")));
        assertTrue(all.contains(new TopicSpec("connection.status.v1", 3, "compact")));
        assertTrue(all.contains(new TopicSpec("preferences.v1", 3, "compact")));
    }

    @Test
    void prefixIsPrependedVerbatim() {
        assertEquals("raw.csv.v1", Topics.prefixed(null, "raw.csv.v1"));
        assertEquals("raw.csv.v1", Topics.prefixed("", "raw.csv.v1"));
        assertEquals("it-7.raw.csv.v1", Topics.prefixed("it-7.", "raw.csv.v1"));
        assertEquals("raw.csv.v1", Topics.unprefixed("it-7.", "it-7.raw.csv.v1"));
        assertEquals("raw.csv.v1", Topics.unprefixed("", "raw.csv.v1"));
        assertEquals("other.raw.csv.v1", Topics.unprefixed("it-7.", "other.raw.csv.v1"));
    }

    @Test
    void sourceIds() {
        assertEquals(10, SourceId.ALL.size());
        assertTrue(SourceId.isKnown("apple_health"));
        assertFalse(SourceId.isKnown("Apple Health"));
        assertFalse(SourceId.isKnown("garmin"));
        assertFalse(SourceId.isKnown(null));
    }

    @Test
    void localStackCreatesExactlyTheTopicMap() throws IOException {
        if (!Files.isRegularFile(DEPLOY_TOPICS)) {
            fail(DEPLOY_TOPICS.toAbsolutePath().normalize() + " is missing: the local stack must list every topic of "
                    + "Topics.all() there, one '<name> <partitions> <cleanup.policy>' per line");
        }
        List<TopicSpec> listed = new ArrayList<>();
        List<String> lines = Files.readAllLines(DEPLOY_TOPICS, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 3 || !parts[1].matches("\\d+")) {
                fail(DEPLOY_TOPICS + " line " + (i + 1) + " is not '<name> <partitions> <cleanup.policy>': " + line);
            }
            listed.add(new TopicSpec(parts[0], Integer.parseInt(parts[1]), parts[2]));
        }

        assertEquals(listed.size(), Set.copyOf(listed).size(), DEPLOY_TOPICS + " lists a topic twice");
        assertEquals(sorted(Topics.all()), sorted(listed),
                DEPLOY_TOPICS + " and Topics.all() disagree; change both together");
    }

    private static List<String> sorted(List<TopicSpec> specs) {
        return specs.stream()
                .map(spec -> spec.name() + " " + spec.partitions() + " " + spec.cleanupPolicy())
                .sorted()
                .toList();
    }
}
