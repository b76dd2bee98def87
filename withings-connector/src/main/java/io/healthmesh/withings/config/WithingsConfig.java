package io.healthmesh.withings.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The Withings settings ({@code withings.*}, a public contract: operators set them as
 * {@code WITHINGS_API_URL}, ...). Never logged: the client secret and the notify secret are in here.
 */
@ConfigMapping(prefix = "withings")
public interface WithingsConfig {

    /** The API host, {@code https://wbsapi.withings.net} in production (services are paths under it). */
    String apiUrl();

    /** The consent page, {@code https://account.withings.com/oauth2_user/authorize2} in production. */
    String authUrl();

    /** The token endpoint, {@code https://wbsapi.withings.net/v2/oauth2} in production. */
    String tokenUrl();

    String clientId();

    String clientSecret();

    /** The secret last path segment of the notification callback URL (Withings does not sign callbacks). */
    String notifySecret();

    /** How long establishing a connection to Withings may take. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** How long one Withings request may take, answer included. */
    @WithDefault("30s")
    Duration requestTimeout();
}
