package io.healthmesh.withings.config;

import io.smallrye.config.ConfigMapping;

/** {@code healthmesh.public-base-url}: where providers reach us (the gateway's public address). */
@ConfigMapping(prefix = "healthmesh")
public interface PublicUrlConfig {

    /** Without a trailing slash preferred; one is tolerated. */
    String publicBaseUrl();
}
