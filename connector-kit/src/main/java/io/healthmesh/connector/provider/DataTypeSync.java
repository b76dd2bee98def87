package io.healthmesh.connector.provider;

import java.time.Instant;

/**
 * Fetches one data type of one provider (Withings measures, activity, sleep) for one connection.
 * The kit claims the task, hands over the cursor or the window, and saves the returned cursor
 * only after the broker acknowledged what was published. CDI beans of the connector service.
 */
public interface DataTypeSync {

    /** The source id. */
    String source();

    /** A stable name of the data type ({@code measures}), part of the cursor's key. */
    String dataType();

    /**
     * Fetches what changed since {@code cursor} (incremental; null cursor = nothing synced yet), or
     * everything inside [{@code from}, {@code to}) when they are given (backfill, targeted sync from
     * a notification), publishing every reading and session through {@code context}.
     *
     * @return the cursor to store once everything published is acknowledged; null keeps the old one
     */
    String sync(SyncContext context, String cursor, Instant from, Instant to) throws ProviderException,
            InterruptedException;

    /**
     * The cursor meaning "everything changed before {@code instant} is known". When a backfill
     * that was queued at {@code instant} completes and the data type has no cursor yet, the kit
     * stores this one, so the first incremental sync asks only for what changed since instead of
     * the whole history. Null (the default) leaves the cursor unset.
     */
    default String cursorAt(Instant instant) {
        return null;
    }

    /**
     * A notification named one document of this data type ({@link DocumentChange}): fetch that
     * document and publish what it holds now, or, when it was deleted, tombstones for everything it
     * can have produced. The default is for providers whose notifications never name documents: it
     * syncs from the cursor like an incremental run.
     *
     * @return the cursor to store once everything published is acknowledged; null keeps the old one
     */
    default String syncDocument(SyncContext context, String cursor, DocumentChange change) throws ProviderException,
            InterruptedException {
        return sync(context, cursor, null, null);
    }
}
