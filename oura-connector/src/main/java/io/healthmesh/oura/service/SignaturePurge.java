package io.healthmesh.oura.service;

import io.healthmesh.oura.config.OuraConfig;
import io.healthmesh.oura.repository.WebhookDeliveryRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Forgets webhook signatures once their timestamps would be refused as stale anyway (twice the
 * maximum age, for clock skew), every hour on every replica (a delete is idempotent).
 */
@ApplicationScoped
public class SignaturePurge {

    private static final Logger LOG = Logger.getLogger(SignaturePurge.class);
    private static final long EVERY_MINUTES = 60;

    private final WebhookDeliveryRepository deliveries;
    private final Duration keep;
    private ScheduledExecutorService ticker;

    public SignaturePurge(WebhookDeliveryRepository deliveries, OuraConfig config) {
        this.deliveries = deliveries;
        this.keep = config.webhook().maxAge().multipliedBy(2);
    }

    void onStart(@Observes StartupEvent startup) {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "oura-signature-purge");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(this::purge, EVERY_MINUTES, EVERY_MINUTES, TimeUnit.MINUTES);
    }

    void onStop(@Observes ShutdownEvent shutdown) {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    void purge() {
        try {
            deliveries.forgetOlderThan(keep);
        } catch (RuntimeException e) {
            LOG.warnf("Old Oura webhook signatures could not be purged (%s); next hour again", e.toString());
        }
    }
}
