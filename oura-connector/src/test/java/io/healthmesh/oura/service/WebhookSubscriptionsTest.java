package io.healthmesh.oura.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.connector.lock.ClusterLock;
import io.healthmesh.oura.OuraSimulator;
import io.healthmesh.oura.client.OuraWebhookApi.Subscription;
import io.healthmesh.oura.repository.SubscriptionRepository;
import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The app's subscriptions against WireMock playing Oura's subscription routes, with the real
 * PostgreSQL lock: two replicas checking at once create each subscription once; one about to
 * expire is renewed; nothing is ever deleted.
 */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class WebhookSubscriptionsTest {

    private static final String BASE = "https://health.example.org/";
    private static final String CALLBACK = "https://health.example.org/api/v1/webhooks/oura";
    private static final Instant FAR = OuraSimulator.NOW.plus(80, ChronoUnit.DAYS);

    @Inject
    Pool pool;
    @Inject
    ClusterLock lock;
    @Inject
    SubscriptionRepository repository;

    private OuraSimulator oura;

    @BeforeEach
    void start() {
        oura = new OuraSimulator();
    }

    @AfterEach
    void stop() {
        oura.close();
    }

    private WebhookSubscriptions replica() {
        return new WebhookSubscriptions(oura.webhooks, repository, lock, oura.config, OuraSimulator.CLOCK, BASE);
    }

    private static String id(String eventType, String dataType) {
        return "sub-" + eventType + "-" + dataType;
    }

    private static String json(String id, String eventType, String dataType, Instant expires) {
        return "{\"id\":\"" + id + "\",\"callback_url\":\"" + CALLBACK + "\",\"event_type\":\"" + eventType
                + "\",\"data_type\":\"" + dataType + "\",\"expiration_time\":\"" + expires + "\"}";
    }

    /** Every subscription we need, as Oura would list them, one of them expiring at {@code soon} (or none). */
    private static String fullList(String soonEvent, String soonData, Instant soon) {
        StringJoiner list = new StringJoiner(",", "[", "]");
        for (String dataType : WebhookSubscriptions.DATA_TYPES) {
            for (String eventType : WebhookSubscriptions.EVENT_TYPES) {
                boolean expiring = eventType.equals(soonEvent) && dataType.equals(soonData);
                list.add(json(id(eventType, dataType), eventType, dataType, expiring ? soon : FAR));
            }
        }
        return list.toString();
    }

    @Test
    void twoReplicasCheckingAtOnceCreateEachSubscriptionOnce() throws Exception {
        String scenario = "subscriptions-" + UUID.randomUUID();
        // Oura lists nothing until the first subscription is created, then everything that replica creates.
        oura.server.stubFor(get(urlPathEqualTo("/v2/webhook/subscription")).inScenario(scenario)
                .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody("[]")));
        oura.server.stubFor(get(urlPathEqualTo("/v2/webhook/subscription")).inScenario(scenario)
                .whenScenarioStateIs("created").willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody(fullList(null, null, null))));
        for (String dataType : WebhookSubscriptions.DATA_TYPES) {
            for (String eventType : WebhookSubscriptions.EVENT_TYPES) {
                oura.server.stubFor(post(urlPathEqualTo("/v2/webhook/subscription")).inScenario(scenario)
                        .withHeader("x-client-id", equalTo(OuraSimulator.CLIENT_ID))
                        .withHeader("x-client-secret", equalTo(OuraSimulator.CLIENT_SECRET))
                        .withRequestBody(matchingJsonPath("$.event_type", equalTo(eventType)))
                        .withRequestBody(matchingJsonPath("$.data_type", equalTo(dataType)))
                        .willSetStateTo("created")
                        .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                                .withBody(json(id(eventType, dataType), eventType, dataType, FAR))));
            }
        }
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            List<Future<WebhookSubscriptions.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                WebhookSubscriptions replica = replica();
                outcomes.add(replicas.submit((Callable<WebhookSubscriptions.Outcome>) replica::ensure));
            }
            int created = 0;
            int kept = 0;
            for (Future<WebhookSubscriptions.Outcome> outcome : outcomes) {
                created += outcome.get().created().size();
                kept += outcome.get().kept();
                assertThat(outcome.get().failed()).isEmpty();
            }
            assertThat(created).isEqualTo(24);
            assertThat(kept).isEqualTo(24);
        } finally {
            replicas.shutdownNow();
        }
        oura.server.verify(24, postRequestedFor(urlPathEqualTo("/v2/webhook/subscription")));
        oura.server.verify(postRequestedFor(urlPathEqualTo("/v2/webhook/subscription")).withRequestBody(equalToJson(
                "{\"callback_url\":\"" + CALLBACK + "\",\"verification_token\":\"" + OuraSimulator.VERIFICATION_TOKEN
                        + "\",\"event_type\":\"delete\",\"data_type\":\"sleep\"}")));
        assertThat(repository.all()).extracting(Subscription::id).contains(id("create", "daily_sleep"));
    }

    @Test
    void aSubscriptionAboutToExpireIsRenewedAndNothingIsCreatedOrDeleted() throws Exception {
        Instant soon = OuraSimulator.NOW.plus(2, ChronoUnit.DAYS);
        oura.server.stubFor(get(urlPathEqualTo("/v2/webhook/subscription")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fullList("update", "sleep", soon))));
        oura.server.stubFor(put(urlPathEqualTo("/v2/webhook/subscription/renew/" + id("update", "sleep")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(json(id("update", "sleep"), "update", "sleep", FAR))));

        WebhookSubscriptions.Outcome outcome = replica().ensure();

        assertThat(outcome.created()).isEmpty();
        assertThat(outcome.renewed()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo(id("update", "sleep"));
            assertThat(s.expirationTime()).isEqualTo(FAR);
        });
        assertThat(outcome.kept()).isEqualTo(23);
        oura.server.verify(1, putRequestedFor(urlPathEqualTo("/v2/webhook/subscription/renew/" + id("update", "sleep"))));
        oura.server.verify(0, postRequestedFor(urlPathEqualTo("/v2/webhook/subscription")));
        assertThat(oura.server.findAll(com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()))).isEmpty();
    }

    @Test
    void anExpiredSubscriptionIsRenewedToo() throws Exception {
        Instant expired = OuraSimulator.NOW.minus(1, ChronoUnit.DAYS);
        oura.server.stubFor(get(urlPathEqualTo("/v2/webhook/subscription")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fullList("create", "workout", expired))));
        oura.server.stubFor(put(urlPathEqualTo("/v2/webhook/subscription/renew/" + id("create", "workout")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(json(id("create", "workout"), "create", "workout", FAR))));

        WebhookSubscriptions.Outcome outcome = replica().ensure();

        assertThat(outcome.renewed()).extracting(Subscription::id).containsExactly(id("create", "workout"));
        assertThat(outcome.created()).isEmpty();
    }

    @Test
    void anExpiredSubscriptionOuraWillNotRenewIsCreatedAgain() throws Exception {
        Instant expired = OuraSimulator.NOW.minus(1, ChronoUnit.DAYS);
        oura.server.stubFor(get(urlPathEqualTo("/v2/webhook/subscription")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fullList("delete", "daily_spo2", expired))));
        oura.server.stubFor(put(urlPathEqualTo("/v2/webhook/subscription/renew/" + id("delete", "daily_spo2")))
                .willReturn(aResponse().withStatus(404)));
        oura.server.stubFor(post(urlPathEqualTo("/v2/webhook/subscription"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(json("sub-new", "delete", "daily_spo2", FAR))));

        WebhookSubscriptions.Outcome outcome = replica().ensure();

        assertThat(outcome.renewed()).isEmpty();
        assertThat(outcome.created()).extracting(Subscription::id).containsExactly("sub-new");
        assertThat(outcome.failed()).isEmpty();
        oura.server.verify(1, postRequestedFor(urlPathEqualTo("/v2/webhook/subscription"))
                .withRequestBody(matchingJsonPath("$.data_type", equalTo("daily_spo2"))));
    }
}
