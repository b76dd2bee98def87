package io.healthmesh.oura.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The Oura settings ({@code oura.*}, a public contract: operators set them as {@code OURA_API_URL},
 * ...). Never logged: the client secret and the webhook verification token are in here.
 */
@ConfigMapping(prefix = "oura")
public interface OuraConfig {

    /** The API host, {@code https://api.ouraring.com} in production (routes are paths under it). */
    String apiUrl();

    /** The consent page, {@code https://cloud.ouraring.com/oauth/authorize} in production. */
    String authUrl();

    /** The token endpoint, {@code https://api.ouraring.com/oauth/token} in production. */
    String tokenUrl();

    /** The revocation endpoint ({@code GET ?access_token=}), {@code https://api.ouraring.com/oauth/revoke}. */
    String revokeUrl();

    String clientId();

    /** Also the key of the webhook signatures (HMAC-SHA256). */
    String clientSecret();

    /** What we give Oura when subscribing; its verification challenge must bring it back. */
    String webhookVerificationToken();

    /** How long establishing a connection to Oura may take. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** How long one Oura request may take, answer included. */
    @WithDefault("30s")
    Duration requestTimeout();

    Sync sync();

    Webhook webhook();

    interface Sync {

        /**
         * How many days back an incremental sync asks for again: Oura has no "changed since", and
         * it re-analyses recent documents (sleep after the morning sync, a bedtime edit).
         */
        @WithDefault("3")
        int lookbackDays();

        /** Heart rate is asked for in windows of at most this many days. */
        @WithDefault("7")
        int heartRateChunkDays();
    }

    interface Webhook {

        /** Whether this replica keeps the app's subscriptions in place (at start and every check-interval). */
        @WithDefault("true")
        boolean subscribe();

        /** How often the subscriptions are checked (created where missing, renewed before they expire). */
        @WithDefault("12h")
        Duration checkInterval();

        /** A subscription expiring within this is renewed. */
        @WithDefault("7d")
        Duration renewBefore();

        /** A notification whose signed timestamp is further than this from now is refused (replay). */
        @WithDefault("5m")
        Duration maxAge();
    }
}
