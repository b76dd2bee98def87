package io.healthmesh.normalizer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "healthmesh.read")
public interface ReadConfig {

    /** Most points a raw read answers; more is a 422 asking for a coarser granularity. */
    @WithDefault("50000")
    int maxPoints();
}
