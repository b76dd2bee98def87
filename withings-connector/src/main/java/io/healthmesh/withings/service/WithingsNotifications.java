package io.healthmesh.withings.service;

import io.healthmesh.connector.provider.ConnectionHooks;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.withings.client.WithingsApi;
import io.healthmesh.withings.config.WithingsConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Withings notification subscriptions, which are per user and per category ({@code appli}): after
 * a connect, {@code POST /notify action=subscribe} for each category of
 * {@link WithingsNotification#APPLI_DATA_TYPES}; before a disconnect, {@code action=revoke} for each.
 * The callback URL is {@code <healthmesh.public-base-url>/api/v1/webhooks/withings/<withings.notify-secret>}
 * (Withings does not sign callbacks; the secret path segment stands in). Every category is tried
 * even when one fails (unless Withings asks to slow down); the first failure is then thrown. The
 * URL is never logged (it holds the secret).
 */
@Singleton
public class WithingsNotifications implements ConnectionHooks {

    static final String WEBHOOK_PATH = "/api/v1/webhooks/withings/";
    static final String COMMENT = "Healthmesh";

    private static final Logger LOG = Logger.getLogger(WithingsNotifications.class);

    private final WithingsApi api;
    private final String callbackUrl;

    /**
     * @param publicBaseUrl {@code healthmesh.public-base-url}, read as a single property: a
     *     {@code @ConfigMapping} of the {@code healthmesh} prefix would have to map every other
     *     {@code healthmesh.*} key too, or startup fails (SRCFG00050)
     */
    @Inject
    public WithingsNotifications(WithingsApi api, WithingsConfig config,
            @ConfigProperty(name = "healthmesh.public-base-url") String publicBaseUrl) {
        this.api = api;
        this.callbackUrl = callbackUrl(publicBaseUrl, config.notifySecret());
    }

    @Override
    public String source() {
        return SourceId.WITHINGS;
    }

    /** The categories subscribed to, in order. */
    public static List<Integer> applis() {
        return List.copyOf(WithingsNotification.APPLI_DATA_TYPES.keySet());
    }

    @Override
    public void connected(SyncContext context) throws ProviderException, InterruptedException {
        forEachAppli(context, "subscribe");
    }

    @Override
    public void disconnecting(SyncContext context) throws ProviderException, InterruptedException {
        forEachAppli(context, "revoke");
    }

    private void forEachAppli(SyncContext context, String action) throws ProviderException, InterruptedException {
        ProviderException first = null;
        for (int appli : applis()) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("action", action);
            params.put("callbackurl", callbackUrl);
            params.put("appli", Integer.toString(appli));
            if (action.equals("subscribe")) {
                params.put("comment", COMMENT);
            }
            try {
                api.call(context, "notify", params);
            } catch (ProviderException e) {
                LOG.warnf("Withings notify %s of appli %d for user %s failed: %s", action, appli, context.userId(),
                        e.getMessage());
                if (e.kind() == ProviderException.Kind.RATE_LIMITED) {
                    // The next categories would only spend more of the app-wide budget on refusals.
                    throw e;
                }
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    static String callbackUrl(String publicBaseUrl, String notifySecret) {
        String base = publicBaseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + WEBHOOK_PATH + URLEncoder.encode(notifySecret, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
