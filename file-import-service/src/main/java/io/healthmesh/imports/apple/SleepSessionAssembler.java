package io.healthmesh.imports.apple;

import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionDetails;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.event.SleepStageInterval;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.contracts.validation.EventValidator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Turns SleepAnalysis stage records into sleep sessions: per (sourceName, device), records sorted by
 * start are one session while the gap from the session's end so far to the next record is under
 * {@link #MAX_GAP}. A session is a {@link SessionType#NAP} when it is shorter than
 * {@link #NAP_MAX_LENGTH} and starts, in local time, from {@link #NAP_EARLIEST_START} to before
 * {@link #NAP_LATEST_START}; otherwise {@link SessionType#SLEEP}.
 *
 * <p>The export is not ordered in a way that says when a night is complete, so records are
 * buffered (compactly: about 50 bytes each, a few MB for a decade of nights) and sessions built at
 * the end of the document. Only past {@link #EARLY_FLUSH_SAMPLES} buffered records, far beyond any
 * real export, are all but each source's latest session emitted early, to bound the heap.
 */
final class SleepSessionAssembler {

    static final Duration MAX_GAP = Duration.ofMinutes(60);
    static final Duration NAP_MAX_LENGTH = Duration.ofHours(3);
    static final LocalTime NAP_EARLIEST_START = LocalTime.of(10, 0);
    static final LocalTime NAP_LATEST_START = LocalTime.of(19, 0);
    static final int EARLY_FLUSH_SAMPLES = 1_000_000;

    private static final long MAX_GAP_SECONDS = MAX_GAP.toSeconds();
    private static final long MAX_SESSION_SECONDS = EventValidator.MAX_SLEEP_SESSION.toSeconds();
    private static final Comparator<Sample> BY_TIME =
            Comparator.comparingLong(Sample::start).thenComparingLong(Sample::end).thenComparing(Sample::stage);

    /** One stage record, without objects per timestamp. */
    private record Sample(SleepStage stage, long start, int startOffset, long end, int endOffset, String zone,
            ZoneId zoneId) {
    }

    private record Source(String app, String device) {
    }

    private final String importJobId;
    private final int earlyFlushSamples;
    private final Map<Source, List<Sample>> samples = new LinkedHashMap<>();
    private int buffered;

    SleepSessionAssembler(String importJobId) {
        this(importJobId, EARLY_FLUSH_SAMPLES);
    }

    SleepSessionAssembler(String importJobId, int earlyFlushSamples) {
        this.importJobId = importJobId;
        this.earlyFlushSamples = earlyFlushSamples;
    }

    /**
     * @param zone the IANA zone the session will carry, or null
     * @param zoneId the zone for local times, or null to use the written offset
     */
    void add(String app, String device, SleepStage stage, OffsetDateTime start, OffsetDateTime end, String zone,
            ZoneId zoneId, Consumer<Session> emit) {
        samples.computeIfAbsent(new Source(app, device), key -> new ArrayList<>())
                .add(new Sample(stage, start.toEpochSecond(), start.getOffset().getTotalSeconds(),
                        end.toEpochSecond(), end.getOffset().getTotalSeconds(), zone, zoneId));
        buffered++;
        if (buffered >= earlyFlushSamples) {
            emitSessions(emit, true);
            if (buffered >= earlyFlushSamples / 2) {
                // Latest sessions that big are no real nights; re-sorting them on every record would not end.
                emitSessions(emit, false);
            }
        }
    }

    /** Emits every buffered session and forgets them. */
    void finish(Consumer<Session> emit) {
        emitSessions(emit, false);
    }

    private void emitSessions(Consumer<Session> emit, boolean keepLatest) {
        buffered = 0;
        for (Map.Entry<Source, List<Sample>> group : samples.entrySet()) {
            List<Sample> sorted = group.getValue();
            sorted.sort(BY_TIME);
            List<List<Sample>> sessions = split(sorted);
            int emitted = keepLatest ? sessions.size() - 1 : sessions.size();
            for (int i = 0; i < emitted; i++) {
                emit.accept(session(group.getKey(), sessions.get(i)));
            }
            List<Sample> kept = new ArrayList<>();
            if (keepLatest && !sessions.isEmpty()) {
                kept.addAll(sessions.get(sessions.size() - 1));
            }
            group.setValue(kept);
            buffered += kept.size();
        }
        samples.values().removeIf(List::isEmpty);
    }

    /** Consecutive samples closer than the gap, never longer than a sleep session may be; exact repeats dropped. */
    private static List<List<Sample>> split(List<Sample> sorted) {
        List<List<Sample>> sessions = new ArrayList<>();
        List<Sample> current = null;
        long sessionStart = 0;
        long sessionEnd = 0;
        Sample previous = null;
        for (Sample sample : sorted) {
            if (sample.equals(previous)) {
                continue;
            }
            previous = sample;
            boolean joins = current != null
                    && sample.start() - sessionEnd < MAX_GAP_SECONDS
                    && Math.max(sessionEnd, sample.end()) - sessionStart <= MAX_SESSION_SECONDS;
            if (!joins) {
                current = new ArrayList<>();
                sessions.add(current);
                sessionStart = sample.start();
                sessionEnd = sample.end();
            }
            current.add(sample);
            sessionEnd = Math.max(sessionEnd, sample.end());
        }
        return sessions;
    }

    private Session session(Source source, List<Sample> samples) {
        Sample first = samples.get(0);
        Sample last = first;
        List<SleepStageInterval> stages = new ArrayList<>(samples.size());
        for (Sample sample : samples) {
            if (sample.end() > last.end()) {
                last = sample;
            }
            stages.add(new SleepStageInterval(sample.stage(), time(sample.start(), sample.startOffset()),
                    time(sample.end(), sample.endOffset())));
        }
        OffsetDateTime start = time(first.start(), first.startOffset());
        OffsetDateTime end = time(last.end(), last.endOffset());
        // The first record names the night, so an export taken mid-night and a later one agree.
        String sourceRecordId = Identity.appleSourceRecordId(AppleTypes.SLEEP_SESSION, source.app(),
                source.device(), start, null, null);
        return Session.builder()
                .sourceRecordId(sourceRecordId)
                .type(type(start, end, first.zoneId()))
                .start(start)
                .end(end)
                .zone(zoneOf(samples))
                .device(source.device())
                .app(source.app())
                .details(SessionDetails.ofStages(stages))
                .importJobId(importJobId)
                .build();
    }

    static SessionType type(OffsetDateTime start, OffsetDateTime end, ZoneId zoneId) {
        if (Duration.between(start, end).compareTo(NAP_MAX_LENGTH) >= 0) {
            return SessionType.SLEEP;
        }
        LocalTime localStart = zoneId == null ? start.toLocalTime() : start.atZoneSameInstant(zoneId).toLocalTime();
        boolean daytime = !localStart.isBefore(NAP_EARLIEST_START) && localStart.isBefore(NAP_LATEST_START);
        return daytime ? SessionType.NAP : SessionType.SLEEP;
    }

    private static String zoneOf(List<Sample> samples) {
        return samples.stream().map(Sample::zone).filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static OffsetDateTime time(long epochSecond, int offsetSeconds) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneOffset.ofTotalSeconds(offsetSeconds));
    }
}
