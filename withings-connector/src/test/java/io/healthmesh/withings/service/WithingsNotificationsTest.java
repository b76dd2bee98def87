package io.healthmesh.withings.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.healthmesh.withings.WithingsSimulator.action;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.withings.TestSyncContext;
import io.healthmesh.withings.WithingsSimulator;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WithingsNotificationsTest {

    private static final String CALLBACK = "https://health.example.org/api/v1/webhooks/withings/n0t1fy-secret";

    private WithingsSimulator withings;
    private WithingsNotifications hooks;

    @BeforeEach
    void start() {
        withings = new WithingsSimulator();
        hooks = new WithingsNotifications(withings.api, withings.config, WithingsSimulator.PUBLIC_BASE_URL);
    }

    @AfterEach
    void stop() {
        withings.close();
    }

    @Test
    void connectingSubscribesEveryCategoryWithTheSecretCallbackUrl() throws Exception {
        withings.stub(action("/notify", "subscribe"), "notify-ok.json");
        TestSyncContext context = new TestSyncContext();

        hooks.connected(context);

        assertThat(hooks.source()).isEqualTo("withings");
        List<LoggedRequest> requests = withings.server.findAll(postRequestedFor(urlPathEqualTo("/notify"))
                .withHeader("Authorization", equalTo("Bearer token-1"))
                .withFormParam("action", equalTo("subscribe"))
                .withFormParam("callbackurl", equalTo(CALLBACK)));
        assertThat(requests).extracting(r -> r.formParameter("appli").firstValue())
                .containsExactlyInAnyOrder("1", "2", "4", "16", "44");
        assertThat(context.beforeRequestCalls).isEqualTo(5);
    }

    @Test
    void disconnectingRevokesEveryCategory() throws Exception {
        withings.stub(action("/notify", "revoke"), "notify-ok.json");

        hooks.disconnecting(new TestSyncContext());

        List<LoggedRequest> requests = withings.server.findAll(postRequestedFor(urlPathEqualTo("/notify"))
                .withFormParam("action", equalTo("revoke"))
                .withFormParam("callbackurl", equalTo(CALLBACK)));
        assertThat(requests).extracting(r -> r.formParameter("appli").firstValue())
                .containsExactlyInAnyOrder("1", "2", "4", "16", "44");
    }

    @Test
    void aRefusedCategoryDoesNotStopTheOthersAndIsReportedAfterwards() {
        withings.stub(action("/notify", "subscribe"), "notify-ok.json");
        withings.server.stubFor(action("/notify", "subscribe").withFormParam("appli", equalTo("44"))
                .willReturn(aResponse().withStatus(200)
                        .withBody("{\"status\":2555,\"body\":{},\"error\":\"Unauthorized\"}")));
        withings.server.stubFor(action("/notify", "subscribe").withFormParam("appli", equalTo("2"))
                .willReturn(aResponse().withStatus(200)
                        .withBody("{\"status\":503,\"body\":{},\"error\":\"Invalid Params\"}")));

        ProviderException failure = catchThrowableOfType(ProviderException.class,
                () -> hooks.connected(new TestSyncContext()));

        assertThat(failure.kind()).as("the first failure, appli 2").isEqualTo(Kind.FAILED);
        assertThat(failure.getMessage()).doesNotContain("n0t1fy-secret");
        withings.server.verify(5, postRequestedFor(urlPathEqualTo("/notify")));
    }

    @Test
    void tooManyRequestsStopsAtOnce() {
        withings.stub(action("/notify", "subscribe"), "error-601.json");

        ProviderException limited = catchThrowableOfType(ProviderException.class,
                () -> hooks.connected(new TestSyncContext()));

        assertThat(limited.kind()).isEqualTo(Kind.RATE_LIMITED);
        withings.server.verify(1, postRequestedFor(urlPathEqualTo("/notify")));
    }

    @Test
    void theCallbackUrlToleratesATrailingSlash() {
        assertThat(WithingsNotifications.callbackUrl("https://h.example.org//", "abc"))
                .isEqualTo("https://h.example.org/api/v1/webhooks/withings/abc");
    }

    @Test
    void parsesADataNotification() {
        Optional<WithingsNotification> parsed =
                WithingsNotification.parse("userid=12345&appli=1&startdate=1530576000&enddate=1530698753");

        assertThat(parsed).contains(new WithingsNotification("12345", "measures",
                Instant.ofEpochSecond(1530576000), Instant.ofEpochSecond(1530698754)));
    }

    @Test
    void eachSubscribedCategoryNamesItsDataType() {
        assertThat(WithingsNotification.parse("userid=7&appli=2").map(WithingsNotification::dataType))
                .contains("measures");
        assertThat(WithingsNotification.parse("userid=7&appli=4").map(WithingsNotification::dataType))
                .contains("measures");
        assertThat(WithingsNotification.parse("appli=16&userid=7&startdate=1711929600&enddate=1712015999"))
                .contains(new WithingsNotification("7", "activity", Instant.ofEpochSecond(1711929600),
                        Instant.ofEpochSecond(1712016000)));
        assertThat(WithingsNotification.parse("userid=7&appli=44&startdate=1711835940&enddate=1711865520&deviceid=x"))
                .map(WithingsNotification::dataType).contains("sleep");
    }

    @Test
    void aNotificationWithoutAReadableWindowSyncsSinceTheCursor() {
        assertThat(WithingsNotification.parse("userid=7&appli=1"))
                .contains(new WithingsNotification("7", "measures", null, null));
        assertThat(WithingsNotification.parse("userid=7&appli=1&startdate=abc&enddate=1530698753"))
                .contains(new WithingsNotification("7", "measures", null, Instant.ofEpochSecond(1530698754)));
        assertThat(WithingsNotification.parse("userid=7&appli=1&startdate=1530698753&enddate=1530576000"))
                .contains(new WithingsNotification("7", "measures", null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "userid=12345&appli=50&date=2024-03-31", // bed in: an event, no data
        "userid=12345&appli=46&action=unlink", // profile change
        "userid=12345&appli=999&startdate=1&enddate=2",
        "userid=12345&appli=-1",
    })
    void unknownOrEventOnlyCategoriesGiveNothing(String body) {
        assertThat(WithingsNotification.parse(body)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "   ",
        "garbage",
        "{\"userid\":12345,\"appli\":1}",
        "appli=1&startdate=1&enddate=2",
        "userid=&appli=1",
        "userid=abc&appli=1",
        "userid=12345&appli=one",
        "userid=12345",
        "userid=%zz&appli=1",
        "userid=99999999999999999999999&appli=1",
    })
    void garbageGivesNothing(String body) {
        assertThat(WithingsNotification.parse(body)).isEmpty();
    }
}
