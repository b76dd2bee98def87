package io.healthmesh.connector.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Timings of the kit's connections side ({@code healthmesh.connector.*}). The top-level keys
 * ({@code healthmesh.token-key}, {@code healthmesh.token-previous-keys},
 * {@code healthmesh.public-base-url}, {@code healthmesh.connect-return-url}) are read with
 * {@code @ConfigProperty} by {@link io.healthmesh.connector.crypto.TokenKeys} and
 * {@link ConnectAddresses}: a mapping on the prefix {@code healthmesh} would have to map every
 * {@code healthmesh.*} key of every service (SmallRye refuses unmapped keys under a mapped prefix).
 */
@ConfigMapping(prefix = "healthmesh.connector")
public interface ConnectionsConfig {

    /** How long an authorization request (its state) stays valid. */
    @WithDefault("10m")
    Duration stateTtl();

    /** An access token expiring within this margin is refreshed before use. */
    @WithDefault("5m")
    Duration refreshMargin();
}
