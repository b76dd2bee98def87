package io.healthmesh.commons.metrics;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every meter of a service carries {@code service=<quarkus.application.name>}: scraped pods of
 * several services land in one Prometheus, and a dashboard must tell the normalizer's HTTP
 * latency from the gateway's without relying on the scrape job's relabelling.
 */
@Singleton
public class ServiceMeterTags {

    static final String TAG = "service";

    @Produces
    @Singleton
    MeterFilter serviceTag(@ConfigProperty(name = "quarkus.application.name") String service) {
        return MeterFilter.commonTags(Tags.of(TAG, service));
    }
}
