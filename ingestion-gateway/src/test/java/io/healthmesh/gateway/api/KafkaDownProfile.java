package io.healthmesh.gateway.api;

import io.healthmesh.testsupport.ClosedKafkaResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The gateway with Kafka unreachable (the push producer's and the health check's address closed). */
public class KafkaDownProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ClosedKafkaResource.class));
    }
}
