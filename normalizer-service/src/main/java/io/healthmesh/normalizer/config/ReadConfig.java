package io.healthmesh.normalizer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "healthmesh.read")
public interface ReadConfig {

    /** Most points a raw read answers; more is a 422 asking for a coarser granularity. */
    @WithDefault("50000")
    int maxPoints();

    /** Day-granularity reads served per local date from metric_day_cache (V4__day_cache.sql). */
    DayCache dayCache();

    interface DayCache {
        /** Off: every day read folds its rows (the cache is neither read nor written). */
        @WithDefault("true")
        boolean enabled();
    }
}
