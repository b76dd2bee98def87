package io.healthmesh.testsupport;

import io.healthmesh.contracts.source.Topics;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Gives each test run its own copy of every topic of the topic map, under a fresh prefix, so tests
 * never read a running demo suite's data or an earlier run's.
 */
public final class TestTopics {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestTopics() {
    }

    /** A prefix such as {@code t5f3a9c1e.}; it also prefixes consumer groups. */
    public static String freshPrefix() {
        return "t" + Long.toHexString(RANDOM.nextLong() & 0xffffffffL) + ".";
    }

    /** Creates every topic of the map under the prefix (those that exist already are kept). */
    public static void createAll(String bootstrapServers, String prefix) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = new HashSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
            List<NewTopic> missing = Topics.all().stream()
                    .filter(spec -> !existing.contains(Topics.prefixed(prefix, spec.name())))
                    .map(spec -> new NewTopic(Topics.prefixed(prefix, spec.name()), spec.partitions(), (short) 1)
                            .configs(Map.of("cleanup.policy", spec.cleanupPolicy())))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create the test topics on Kafka at " + bootstrapServers
                    + " (is the local stack up? deploy/local/stack.sh up)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating test topics", e);
        }
    }
}
