package io.healthmesh.connector.sync.domain;

/** The latest backfill of a connection: its tasks by outcome. */
public record BackfillProgress(int total, int done, int failed, int pending) {

    public boolean finished() {
        return total > 0 && pending == 0;
    }

    /** Share of the backfill's tasks that are done (0..1). */
    public double progress() {
        return total == 0 ? 1.0 : (double) done / total;
    }
}
