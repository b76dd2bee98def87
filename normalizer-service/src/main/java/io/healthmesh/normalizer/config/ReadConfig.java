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

    /** Raw reads take the rows of whole UTC dates from metric_row_cache (V5__row_cache.sql). */
    RowCache rowCache();

    /**
     * Resolved raw reads of whole UTC hours take their points from metric_resolved_raw_cache
     * (V6__resolved_raw_cache.sql).
     */
    ResolvedRawCache resolvedRawCache();

    interface ResolvedRawCache {
        /** Off: every resolved raw read resolves its rows (the cache is neither read nor written). */
        @WithDefault("true")
        boolean enabled();
    }

    interface RowCache {
        /** Off: every raw read reads its rows from unified_metric (the cache is neither read nor written). */
        @WithDefault("true")
        boolean enabled();
    }

    interface DayCache {
        /** Off: every day read folds its rows (the cache is neither read nor written). */
        @WithDefault("true")
        boolean enabled();
    }
}
