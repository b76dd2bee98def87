package io.healthmesh.commons.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ServiceMeterTagsTest {

    @Test
    void everyMeterRegisteredAfterTheFilterCarriesTheServiceName() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new ServiceMeterTags().serviceTag("oura-connector"));

        Counter counter = registry.counter("healthmesh.connector.sync.runs", "source", "oura");

        assertThat(counter.getId().getTag("service")).isEqualTo("oura-connector");
        assertThat(counter.getId().getTag("source")).isEqualTo("oura");
    }
}
