package io.healthmesh.normalizer.service;

import io.healthmesh.normalizer.config.ReadConfig;
import io.healthmesh.normalizer.repository.DayCacheRepository;
import io.healthmesh.normalizer.repository.ResolvedRawCacheRepository;
import io.healthmesh.normalizer.repository.RowCacheRepository;
import io.healthmesh.normalizer.repository.UnifiedReadRepository;

/** The read service with every read cache turned off: what the cached reads must answer. */
final class UncachedReads {

    private UncachedReads() {
    }

    static UserDataReadService service(UnifiedReadRepository repository, DayCacheRepository dayCache,
            RowCacheRepository rowCache, ResolvedRawCacheRepository resolvedCache, PolicySource policies,
            ReadConfig config) {
        ReadConfig off = new ReadConfig() {
            @Override
            public int maxPoints() {
                return config.maxPoints();
            }

            @Override
            public DayCache dayCache() {
                return () -> false;
            }

            @Override
            public RowCache rowCache() {
                return () -> false;
            }

            @Override
            public ResolvedRawCache resolvedRawCache() {
                return () -> false;
            }
        };
        RawRowReader rawRows = new RawRowReader(repository, rowCache, off);
        return new UserDataReadService(repository, dayCache, rawRows,
                new ResolvedRawReader(repository, rawRows, resolvedCache, off), policies, off);
    }
}
