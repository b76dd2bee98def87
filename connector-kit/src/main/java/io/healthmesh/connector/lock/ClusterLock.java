package io.healthmesh.connector.lock;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Work that only one replica of a service may do at a time (Oura: making sure the app's webhook
 * subscriptions exist, so that two replicas starting together create each one once), under a
 * PostgreSQL session advisory lock named by a string. The lock is held on one pooled connection for
 * the whole work, which may be slow and call providers; if the replica dies, PostgreSQL drops the
 * connection and with it the lock. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class ClusterLock {

    private static final Logger LOG = Logger.getLogger(ClusterLock.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);
    private static final long RETRY_MILLIS = 100;

    private static final String TRY_LOCK =
            "SELECT pg_try_advisory_lock(hashtext('healthmesh.cluster-lock'), hashtext($1)) AS locked";
    private static final String UNLOCK =
            "SELECT pg_advisory_unlock(hashtext('healthmesh.cluster-lock'), hashtext($1))";

    /** The work done under the lock. */
    @FunctionalInterface
    public interface Work<T, X extends Exception> {
        T run() throws X, InterruptedException;
    }

    /** The lock was not free within the wait. */
    public static final class NotAcquiredException extends RuntimeException {
        public NotAcquiredException(String name, Duration wait) {
            super("The cluster lock " + name + " was not free within " + wait);
        }
    }

    private final Pool pool;

    public ClusterLock(Pool pool) {
        this.pool = pool;
    }

    /**
     * Runs {@code work} while holding the lock {@code name}, waiting up to {@code wait} for a replica
     * that holds it to finish; whoever waited runs its work after the other's, so it sees what the
     * other did.
     *
     * @throws NotAcquiredException when the lock stayed taken for the whole wait
     */
    public <T, X extends Exception> T exclusively(String name, Duration wait, Work<T, X> work)
            throws X, InterruptedException {
        SqlConnection connection = pool.getConnection().await().atMost(DB_TIMEOUT);
        try {
            Instant deadline = Instant.now().plus(wait);
            while (!tryLock(connection, name)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new NotAcquiredException(name, wait);
                }
                Thread.sleep(RETRY_MILLIS);
            }
            try {
                return work.run();
            } finally {
                unlock(connection, name);
            }
        } finally {
            connection.closeAndAwait();
        }
    }

    private static boolean tryLock(SqlConnection connection, String name) {
        return connection.preparedQuery(TRY_LOCK).execute(Tuple.of(name)).await().atMost(DB_TIMEOUT)
                .iterator().next().getBoolean("locked");
    }

    private static void unlock(SqlConnection connection, String name) {
        try {
            connection.preparedQuery(UNLOCK).execute(Tuple.of(name)).await().atMost(DB_TIMEOUT);
        } catch (RuntimeException e) {
            // Closing the connection below ends the session, which releases the lock anyway.
            LOG.warnf("Could not release the cluster lock %s (%s); closing its connection releases it", name,
                    e.toString());
        }
    }
}
