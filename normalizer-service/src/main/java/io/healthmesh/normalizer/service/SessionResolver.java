package io.healthmesh.normalizer.service;

import io.healthmesh.normalizer.domain.StoredSession;
import io.healthmesh.normalizer.service.SourceRanking.Standing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sessions resolve one overlap at a time: a session stays unless it overlaps a session of a
 * better-ranked source, so a separate evening run from a lower-ranked source stays while the
 * same night from two sources counts once.
 */
public final class SessionResolver {

    public record Resolved(StoredSession session, Standing standing) {
    }

    private SessionResolver() {
    }

    public static List<Resolved> resolve(List<StoredSession> sessions, SourceRanking ranking) {
        List<Resolved> candidates = new ArrayList<>();
        for (StoredSession session : sessions) {
            candidates.add(new Resolved(session, ranking.standing(session.source(), session.app())));
        }
        candidates.sort(Comparator.comparing(Resolved::standing).thenComparing(r -> r.session().start()));
        List<Resolved> kept = new ArrayList<>();
        for (Resolved candidate : candidates) {
            boolean hidden = kept.stream().anyMatch(k -> !k.standing().equals(candidate.standing())
                    && overlaps(k.session(), candidate.session()));
            if (!hidden) {
                kept.add(candidate);
            }
        }
        kept.sort(Comparator.comparing((Resolved r) -> r.session().start()).thenComparing(r -> r.standing()));
        return kept;
    }

    private static boolean overlaps(StoredSession a, StoredSession b) {
        return a.start().isBefore(b.end()) && b.start().isBefore(a.end());
    }
}
