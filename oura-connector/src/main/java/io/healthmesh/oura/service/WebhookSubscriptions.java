package io.healthmesh.oura.service;

import io.healthmesh.connector.lock.ClusterLock;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.oura.client.OuraWebhookApi;
import io.healthmesh.oura.client.OuraWebhookApi.Subscription;
import io.healthmesh.oura.config.OuraConfig;
import io.healthmesh.oura.repository.SubscriptionRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps the app's webhook subscriptions in place. They belong to the app, not to a user: one per
 * event type ({@code create}, {@code update}, {@code delete}) and data type we sync, covering every
 * user who authorised the app, so a user's connect or disconnect never touches them. Under a
 * PostgreSQL lock (two replicas starting together create each one once), Oura's list is read,
 * missing ones are created (Oura checks the callback's verification challenge meanwhile) and those
 * expiring within {@code oura.webhook.renew-before} are renewed. Runs at start and every
 * {@code oura.webhook.check-interval} on each replica (cheap: one list call when all is in place).
 */
@ApplicationScoped
public class WebhookSubscriptions {

    /** The data types Oura sends webhooks for that we sync (there is no heart-rate webhook). */
    public static final List<String> DATA_TYPES = List.of(OuraDailyActivitySync.DATA_TYPE,
            OuraDailySleepSync.DATA_TYPE, OuraSleepSync.DATA_TYPE, OuraDailyReadinessSync.DATA_TYPE,
            OuraWorkoutSync.DATA_TYPE, OuraSessionSync.DATA_TYPE, OuraDailySpo2Sync.DATA_TYPE,
            OuraDailyStressSync.DATA_TYPE);
    public static final List<String> EVENT_TYPES = List.of("create", "update", "delete");

    static final String WEBHOOK_PATH = "/api/v1/webhooks/oura";
    static final String LOCK = "oura.webhook-subscriptions";
    private static final Duration LOCK_WAIT = Duration.ofMinutes(2);

    private static final Logger LOG = Logger.getLogger(WebhookSubscriptions.class);

    /** What one check did. */
    public record Outcome(List<Subscription> created, List<Subscription> renewed, int kept,
            Map<String, String> failed) {
    }

    private final OuraWebhookApi api;
    private final SubscriptionRepository repository;
    private final ClusterLock lock;
    private final OuraConfig.Webhook settings;
    private final Clock clock;
    private final String callbackUrl;
    private ScheduledExecutorService ticker;

    @Inject
    public WebhookSubscriptions(OuraWebhookApi api, SubscriptionRepository repository, ClusterLock lock,
            OuraConfig config, Clock clock, @ConfigProperty(name = "healthmesh.public-base-url") String publicBaseUrl) {
        this.api = api;
        this.repository = repository;
        this.lock = lock;
        this.settings = config.webhook();
        this.clock = clock;
        this.callbackUrl = callbackUrl(publicBaseUrl);
    }

    static String callbackUrl(String publicBaseUrl) {
        String base = publicBaseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + WEBHOOK_PATH;
    }

    public String callbackUrl() {
        return callbackUrl;
    }

    void onStart(@Observes StartupEvent startup) {
        if (!settings.subscribe()) {
            LOG.info("Oura webhook subscriptions are not checked on this replica (oura.webhook.subscribe=false)");
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "oura-webhook-subscriptions");
            thread.setDaemon(true);
            return thread;
        });
        // Not on the startup thread: Oura's verification call needs this service to answer already.
        ticker.scheduleWithFixedDelay(this::checkQuietly, 5_000, settings.checkInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent shutdown) {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    private void checkQuietly() {
        try {
            Outcome outcome = ensure();
            LOG.infof("Oura webhook subscriptions: %d created, %d renewed, %d in place%s", outcome.created().size(),
                    outcome.renewed().size(), outcome.kept(),
                    outcome.failed().isEmpty() ? "" : ", failed: " + outcome.failed());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | ProviderException e) {
            LOG.warnf("Oura webhook subscriptions could not be checked (%s); next check in %s", e.getMessage(),
                    settings.checkInterval());
        }
    }

    /**
     * Creates every missing subscription and renews those about to expire, under the cluster lock.
     * One that fails is reported and the others go on (the next check tries it again).
     */
    public Outcome ensure() throws ProviderException, InterruptedException {
        return lock.exclusively(LOCK, LOCK_WAIT, this::ensureLocked);
    }

    /** Renewed, or null when Oura refuses to renew a subscription that already expired. */
    private Subscription renewOrNull(Subscription found) throws ProviderException, InterruptedException {
        try {
            return api.renew(found.id());
        } catch (ProviderException e) {
            boolean expired = found.expirationTime() != null && !found.expirationTime().isAfter(clock.instant());
            if (expired && e.kind() == ProviderException.Kind.FAILED) {
                LOG.infof("Oura refused to renew the expired subscription %s %s (%s); creating it again",
                        found.eventType(), found.dataType(), e.getMessage());
                return null;
            }
            throw e;
        }
    }

    private Outcome ensureLocked() throws ProviderException, InterruptedException {
        List<Subscription> existing = api.list();
        List<Subscription> created = new ArrayList<>();
        List<Subscription> renewed = new ArrayList<>();
        Map<String, String> failed = new java.util.TreeMap<>();
        int kept = 0;
        Instant renewBy = clock.instant().plus(settings.renewBefore());
        List<Subscription> current = new ArrayList<>();
        for (String dataType : DATA_TYPES) {
            for (String eventType : EVENT_TYPES) {
                Subscription found = existing.stream().filter(s -> callbackUrl.equals(s.callbackUrl())
                        && eventType.equals(s.eventType()) && dataType.equals(s.dataType())).findFirst().orElse(null);
                try {
                    if (found == null) {
                        Subscription made = api.create(callbackUrl, eventType, dataType);
                        created.add(made);
                        current.add(made);
                    } else if (found.expirationTime() == null || found.expirationTime().isBefore(renewBy)) {
                        Subscription extended = renewOrNull(found);
                        if (extended != null) {
                            renewed.add(extended);
                            current.add(extended);
                        } else {
                            // Expired past renewing: a new one takes its place (the old one is Oura's to drop).
                            Subscription made = api.create(callbackUrl, eventType, dataType);
                            created.add(made);
                            current.add(made);
                        }
                    } else {
                        kept++;
                        current.add(found);
                    }
                } catch (ProviderException e) {
                    if (e.kind() == ProviderException.Kind.RATE_LIMITED) {
                        throw e;
                    }
                    failed.put(eventType + " " + dataType, e.getMessage());
                    if (found != null) {
                        current.add(found);
                    }
                }
            }
        }
        // Subscriptions of other callbacks (another deployment of the same app) are left alone.
        existing.stream().filter(s -> !callbackUrl.equals(s.callbackUrl())).forEach(current::add);
        repository.replaceAll(current);
        return new Outcome(created, renewed, kept, failed);
    }
}
