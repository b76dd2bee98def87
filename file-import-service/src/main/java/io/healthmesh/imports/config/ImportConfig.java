package io.healthmesh.imports.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "healthmesh.imports")
public interface ImportConfig {

    /** Where uploads are stored until their job ends: a folder every replica can read (a shared volume). */
    String storageDir();

    /** Largest upload accepted (bytes). */
    @WithDefault("8589934592")
    long maxUploadBytes();

    /** How long a claimed job stays with its replica without a heartbeat. */
    @WithDefault("30s")
    Duration lease();

    /** How often a replica looks for work and renews its leases. */
    @WithDefault("2s")
    Duration pollInterval();

    /** Jobs one replica processes at the same time. */
    @WithDefault("1")
    int concurrentJobs();

    /** Claims of one job (replica deaths, broker outages) before it fails. */
    @WithDefault("5")
    int maxAttempts();

    /** How long a CSV job waits for its mapping before it fails and its upload is deleted. */
    @WithDefault("7d")
    Duration mappingTimeout();

    /** Zip limits against hostile archives. */
    Zip zip();

    interface Zip {
        @WithDefault("100000")
        long maxEntries();

        @WithDefault("68719476736")
        long maxUncompressedBytes();

        @WithDefault("100")
        double maxCompressionRatio();
    }
}
