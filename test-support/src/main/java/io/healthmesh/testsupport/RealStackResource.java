package io.healthmesh.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the real local stack: the test database (set by the
 * {@code %test} profile) and a fresh topic prefix with every topic of the map created under it.
 */
public class RealStackResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String prefix = TestTopics.freshPrefix();
        String bootstrap = LocalStack.kafkaBootstrapServers();
        TestTopics.createAll(bootstrap, prefix);
        return Map.of(
                "healthmesh.topic-prefix", prefix,
                "kafka.bootstrap.servers", bootstrap,
                "healthmesh.db.host", LocalStack.pgHost(),
                "healthmesh.db.port", String.valueOf(LocalStack.pgPort()));
    }

    @Override
    public void stop() {
        // Topics of a run stay for post-mortem reading; the prefix keeps them apart from later runs.
    }
}
