package io.healthmesh.oura.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.healthmesh.oura.OuraSimulator.collection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.oura.OuraSimulator;
import io.healthmesh.oura.TestSyncContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OuraApiTest {

    private OuraSimulator oura;
    private TestSyncContext context;

    @BeforeEach
    void start() {
        oura = new OuraSimulator();
        context = new TestSyncContext();
    }

    @AfterEach
    void stop() {
        oura.close();
    }

    @Test
    void aListFollowsNextTokenWithTheOriginalDatesAndTheBearerToken() throws Exception {
        oura.stub(collection("daily_activity").withQueryParam("next_token", absent()), "daily_activity-page1.json");
        oura.stub(collection("daily_activity").withQueryParam("next_token", equalTo("eyJwYWdlIjogMn0=")),
                "daily_activity-page2.json");
        List<String> ids = new ArrayList<>();

        oura.api.list(context, "daily_activity", Map.of("start_date", "2024-03-07", "end_date", "2024-03-14"),
                item -> ids.add(item.get("id").asText()));

        assertThat(ids).hasSize(3);
        assertThat(context.beforeRequestCalls).isEqualTo(2);
        oura.server.verify(2, getRequestedFor(urlPathEqualTo("/v2/usercollection/daily_activity"))
                .withQueryParam("start_date", equalTo("2024-03-07")).withQueryParam("end_date", equalTo("2024-03-14"))
                .withHeader("Authorization", equalTo("Bearer token-1")));
    }

    @Test
    void aRefusedTokenIsRefreshedAndTheRequestSentOnceMore() throws Exception {
        oura.server.stubFor(collection("daily_sleep").withHeader("Authorization", equalTo("Bearer token-1"))
                .willReturn(aResponse().withStatus(401)));
        oura.stub(collection("daily_sleep").withHeader("Authorization", equalTo("Bearer token-2")), "daily_sleep.json");
        List<JsonNode> items = new ArrayList<>();

        oura.api.list(context, "daily_sleep", Map.of(), items::add);

        assertThat(items).hasSize(1);
        assertThat(context.tokenRefusedCalls).isEqualTo(1);
    }

    @Test
    void aTokenRefusedTwiceIsTokenInvalid() {
        oura.server.stubFor(collection("daily_sleep").willReturn(aResponse().withStatus(401)));
        assertThatThrownBy(() -> oura.api.list(context, "daily_sleep", Map.of(), item -> { }))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOKEN_INVALID));
    }

    @Test
    void forbiddenMeansALapsedMembershipOrAMissingScopeNotALoginFailure() {
        oura.server.stubFor(collection("daily_spo2").willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody(OuraSimulator.fixture("error-403.json"))));
        assertThatThrownBy(() -> oura.api.list(context, "daily_spo2", Map.of(), item -> { }))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
                    assertThat(e.getMessage()).contains("membership").contains("scope");
                });
        assertThat(context.tokenRefusedCalls).isZero();
    }

    @Test
    void rateLimitedWaitsWhatOuraAsksAndServerErrorsAreUnavailable() {
        oura.server.stubFor(collection("workout").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "42")));
        oura.server.stubFor(collection("session").willReturn(aResponse().withStatus(503)));
        oura.server.stubFor(collection("heartrate").willReturn(aResponse().withStatus(422)
                .withBody(OuraSimulator.fixture("error-422.json"))));
        assertThatThrownBy(() -> oura.api.list(context, "workout", Map.of(), item -> { }))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(42));
                });
        assertThatThrownBy(() -> oura.api.list(context, "session", Map.of(), item -> { }))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE));
        assertThatThrownBy(() -> oura.api.list(context, "heartrate", Map.of(), item -> { }))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FAILED));
    }

    @Test
    void aDocumentThatIsGoneIsEmpty() throws Exception {
        oura.server.stubFor(collection("sleep/gone-1").willReturn(aResponse().withStatus(404)));
        assertThat(oura.api.document(context, "sleep", "gone-1")).isEmpty();
    }

    @Test
    void queryValuesArePercentEncoded() {
        assertThat(OuraApi.queryString(Map.of("start_datetime", "2024-03-01T00:00:00+01:00")))
                .isEqualTo("?start_datetime=2024-03-01T00%3A00%3A00%2B01%3A00");
    }
}
