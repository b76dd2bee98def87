package io.healthmesh.normalizer.service;

import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.vocab.Category;
import io.healthmesh.contracts.vocab.Metric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where each source stands in a user's policy for one metric (its override, else its category's
 * order). Sources the order does not list rank after it, alphabetically. Apple Health data
 * written by the app of a directly connected source counts as that source's, just below its own
 * data, while it is connected (round trips).
 *
 * <p>Made per read and not thread-safe: it remembers its answers (a read asks for every row).
 */
public final class SourceRanking {

    /**
     * A row's effective source and place: {@code rank} is 1-based, {@code roundTrip} marks Apple
     * Health data standing in for a connected source.
     */
    public record Standing(String source, int rank, boolean roundTrip) implements Comparable<Standing> {

        /** Not the user's first choice in its own right: a higher-ranked source had nothing here. */
        public boolean fallback() {
            return rank > 1 || roundTrip;
        }

        @Override
        public int compareTo(Standing other) {
            int byRank = Integer.compare(rank, other.rank);
            return byRank != 0 ? byRank : Boolean.compare(roundTrip, other.roundTrip);
        }
    }

    private final Map<String, Integer> ranks = new HashMap<>();
    private final Map<String, String> roundTripOwners = new HashMap<>();
    private final Map<String, List<String>> devicePatterns = new HashMap<>();
    /** The policy's order for the metric: with the constant registry it decides every rank. */
    private final List<String> order;
    private String fingerprint;
    /** Answers already given, per source and app (null keys allowed): a read asks for every row. */
    private final Map<String, Map<String, Standing>> standings = new HashMap<>();
    private final Map<String, Map<String, Map<String, Integer>>> deviceRanks = new HashMap<>();
    /** The last few answers, compared before hashing (rows alternate between few sources and devices). */
    private static final int RECENT = 8;
    private final String[] recentSource = new String[RECENT];
    private final String[] recentApp = new String[RECENT];
    private final Standing[] recentStanding = new Standing[RECENT];
    private int nextRecent;
    private final String[] recentRankSource = new String[RECENT];
    private final String[] recentRankDevice = new String[RECENT];
    private final String[] recentRankApp = new String[RECENT];
    private final int[] recentRank = new int[RECENT];
    private int nextRank;

    private SourceRanking(Policy policy, List<String> order) {
        this.order = order;
        for (String source : order) {
            ranks.putIfAbsent(source, ranks.size() + 1);
        }
        for (String source : new TreeSet<>(SourceId.ALL)) {
            ranks.putIfAbsent(source, ranks.size() + 1);
        }
        for (Map.Entry<String, List<String>> apps : policy.roundTripApps().entrySet()) {
            if (policy.connectedSources().contains(apps.getKey())) {
                apps.getValue().forEach(app -> roundTripOwners.put(app.toLowerCase(Locale.ROOT), apps.getKey()));
            }
        }
        policy.deviceRanks().forEach((source, patterns) -> devicePatterns.put(source,
                patterns.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList()));
    }

    /**
     * What the standings and device ranks depend on, as text: two rankings with the same
     * fingerprint answer alike (the day cache keeps points per fingerprint).
     */
    public String fingerprint() {
        if (fingerprint == null) {
            // Made when asked (day reads only): every other read makes a ranking and never asks.
            fingerprint = "order=" + order.stream().distinct().toList() + ";roundTrips="
                    + new TreeMap<>(roundTripOwners) + ";devices=" + new TreeMap<>(devicePatterns);
        }
        return fingerprint;
    }

    public static SourceRanking forMetric(Policy policy, Metric metric) {
        List<String> order = policy.metricOverrides().get(metric.code());
        return new SourceRanking(policy, order != null ? order : categoryOrder(policy, metric.category()));
    }

    public static SourceRanking forCategory(Policy policy, Category category) {
        return new SourceRanking(policy, categoryOrder(policy, category));
    }

    private static List<String> categoryOrder(Policy policy, Category category) {
        return policy.categories().getOrDefault(category.code(), new ArrayList<>());
    }

    public Standing standing(String source, String app) {
        for (int i = 0; i < RECENT; i++) {
            if (source.equals(recentSource[i]) && Objects.equals(app, recentApp[i])) {
                return recentStanding[i];
            }
        }
        Map<String, Standing> byApp = standings.computeIfAbsent(source, s -> new HashMap<>());
        Standing standing = byApp.get(app);
        if (standing == null) {
            standing = standingOf(source, app);
            byApp.put(app, standing);
        }
        recentSource[nextRecent] = source;
        recentApp[nextRecent] = app;
        recentStanding[nextRecent] = standing;
        nextRecent = (nextRecent + 1) % RECENT;
        return standing;
    }

    private Standing standingOf(String source, String app) {
        if (SourceId.APPLE_HEALTH.equals(source) && app != null) {
            String owner = roundTripOwners.get(app.toLowerCase(Locale.ROOT));
            if (owner != null) {
                return new Standing(owner, rank(owner), true);
            }
        }
        return new Standing(source, rank(source), false);
    }

    /** 0 for the most preferred device pattern of the source; unmatched devices after every pattern. */
    public int deviceRank(String source, String device, String app) {
        for (int i = 0; i < RECENT; i++) {
            if (source.equals(recentRankSource[i]) && Objects.equals(device, recentRankDevice[i])
                    && Objects.equals(app, recentRankApp[i])) {
                return recentRank[i];
            }
        }
        Map<String, Integer> byApp = deviceRanks.computeIfAbsent(source, s -> new HashMap<>())
                .computeIfAbsent(device, d -> new HashMap<>());
        Integer rank = byApp.get(app);
        if (rank == null) {
            rank = deviceRankOf(source, device, app);
            byApp.put(app, rank);
        }
        recentRankSource[nextRank] = source;
        recentRankDevice[nextRank] = device;
        recentRankApp[nextRank] = app;
        recentRank[nextRank] = rank;
        nextRank = (nextRank + 1) % RECENT;
        return rank;
    }

    private int deviceRankOf(String source, String device, String app) {
        List<String> patterns = devicePatterns.getOrDefault(source, List.of());
        for (int i = 0; i < patterns.size(); i++) {
            String pattern = patterns.get(i);
            if (contains(device, pattern) || contains(app, pattern)) {
                return i;
            }
        }
        return patterns.size();
    }

    private int rank(String source) {
        return ranks.computeIfAbsent(source, s -> ranks.size() + 1);
    }

    private static boolean contains(String text, String lowerCasePattern) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(lowerCasePattern);
    }
}
