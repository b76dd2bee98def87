package io.healthmesh.contracts.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The topic map. A raw topic follows the producer path, not the source: Apple Health samples
 * pushed from a phone travel on {@link #RAW_PUSH}, those from an export file on
 * {@link #RAW_APPLE_HEALTH}.
 */
public final class Topics {

    public static final String RAW_WITHINGS = "raw.withings.v1";
    public static final String RAW_OURA = "raw.oura.v1";
    public static final String RAW_APPLE_HEALTH = "raw.apple-health.v1";
    public static final String RAW_CSV = "raw.csv.v1";
    public static final String RAW_PUSH = "raw.push.v1";

    /** Key importJobId; the cumulative accepted / rejected distinct eventIds of a job. */
    public static final String INGEST_OUTCOME = "ingest.outcome.v1";
    /** Key {@code userId:source}; connectors tell preferences-service about connections. */
    public static final String CONNECTION_STATUS = "connection.status.v1";
    /** Key userId; the user's whole policy with its version. */
    public static final String PREFERENCES = "preferences.v1";

    public static final List<String> RAW_TOPICS =
            List.of(RAW_WITHINGS, RAW_OURA, RAW_APPLE_HEALTH, RAW_CSV, RAW_PUSH);

    static final int RAW_PARTITIONS = 6;
    static final int DLQ_PARTITIONS = 1;
    static final int COMPACTED_PARTITIONS = 3;

    private static final String DLQ_SUFFIX = ".dlq";

    /** Who writes to a raw topic. */
    public enum ProducerPath {
        WITHINGS_CONNECTOR,
        OURA_CONNECTOR,
        APPLE_IMPORT,
        CSV_IMPORT,
        PUSH
    }

    private Topics() {
    }

    /** The dead-letter topic of a raw topic; works on prefixed names too. */
    public static String dlq(String rawTopic) {
        return rawTopic + DLQ_SUFFIX;
    }

    public static String rawTopicFor(ProducerPath path) {
        return switch (path) {
            case WITHINGS_CONNECTOR -> RAW_WITHINGS;
            case OURA_CONNECTOR -> RAW_OURA;
            case APPLE_IMPORT -> RAW_APPLE_HEALTH;
            case CSV_IMPORT -> RAW_CSV;
            case PUSH -> RAW_PUSH;
        };
    }

    /** The sources that may appear on an unprefixed raw topic; empty for any other topic. */
    public static Set<String> sourcesAllowedOn(String rawTopic) {
        if (rawTopic == null) {
            return Set.of();
        }
        return switch (rawTopic) {
            case RAW_WITHINGS -> Set.of(SourceId.WITHINGS);
            case RAW_OURA -> Set.of(SourceId.OURA);
            case RAW_APPLE_HEALTH -> Set.of(SourceId.APPLE_HEALTH);
            case RAW_CSV -> Set.of(SourceId.CSV, SourceId.MYFITNESSPAL, SourceId.CRONOMETER);
            case RAW_PUSH -> Set.of(SourceId.PUSH, SourceId.APPLE_HEALTH);
            default -> Set.of();
        };
    }

    /** Every topic the project uses, unprefixed, as the local stack and Kubernetes create them. */
    public static List<TopicSpec> all() {
        List<TopicSpec> specs = new ArrayList<>();
        for (String raw : RAW_TOPICS) {
            specs.add(new TopicSpec(raw, RAW_PARTITIONS, TopicSpec.DELETE));
        }
        for (String raw : RAW_TOPICS) {
            // One partition keeps dead letters in order for whoever replays them by hand.
            specs.add(new TopicSpec(dlq(raw), DLQ_PARTITIONS, TopicSpec.DELETE));
        }
        specs.add(new TopicSpec(INGEST_OUTCOME, COMPACTED_PARTITIONS, TopicSpec.COMPACT));
        specs.add(new TopicSpec(CONNECTION_STATUS, COMPACTED_PARTITIONS, TopicSpec.COMPACT));
        specs.add(new TopicSpec(PREFERENCES, COMPACTED_PARTITIONS, TopicSpec.COMPACT));
        return List.copyOf(specs);
    }

    /**
     * The topic name under {@code healthmesh.topic-prefix}. The prefix is prepended as given (so it
     * carries its own separator, e.g. {@code t42.}); null or empty leaves the name unchanged.
     */
    public static String prefixed(String prefix, String topic) {
        if (prefix == null || prefix.isEmpty()) {
            return topic;
        }
        return prefix + topic;
    }

    /** The inverse of {@link #prefixed}: the unprefixed name, or the topic itself if it lacks the prefix. */
    public static String unprefixed(String prefix, String topic) {
        if (prefix == null || prefix.isEmpty() || topic == null || !topic.startsWith(prefix)) {
            return topic;
        }
        return topic.substring(prefix.length());
    }
}
