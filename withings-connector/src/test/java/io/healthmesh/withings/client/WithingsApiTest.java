package io.healthmesh.withings.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.healthmesh.withings.WithingsSimulator.action;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.withings.TestSyncContext;
import io.healthmesh.withings.WithingsSimulator;
import io.healthmesh.withings.config.WithingsConfig;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WithingsApiTest {

    private static final Map<String, String> GETDEVICE = Map.of("action", "getdevice");

    private WithingsSimulator withings;
    private TestSyncContext context;

    @BeforeEach
    void start() {
        withings = new WithingsSimulator();
        context = new TestSyncContext();
    }

    @AfterEach
    void stop() {
        withings.close();
    }

    @Test
    void aCallTakesABudgetedRequestAndSendsTheBearerToken() throws Exception {
        withings.server.stubFor(action("/v2/user", "getdevice").willReturn(aResponse().withStatus(200)
                .withBody("{\"status\":0,\"body\":{\"devices\":[{\"model\":\"Body Cardio\"}]}}")));

        JsonNode body = withings.api.call(context, "v2/user", GETDEVICE);

        assertThat(body.path("devices").get(0).path("model").asText()).isEqualTo("Body Cardio");
        assertThat(context.beforeRequestCalls).isEqualTo(1);
        withings.server.verify(1, postRequestedFor(urlPathEqualTo("/v2/user"))
                .withHeader("Authorization", equalTo("Bearer token-1"))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded")));
    }

    @Test
    void aRefusedTokenIsReportedAndTheCallRetriedOnceWithTheNewToken() throws Exception {
        withings.server.stubFor(action("/v2/user", "getdevice").withHeader("Authorization", equalTo("Bearer token-1"))
                .willReturn(aResponse().withStatus(200).withBody(WithingsSimulator.fixture("error-401.json"))));
        withings.server.stubFor(action("/v2/user", "getdevice").withHeader("Authorization", equalTo("Bearer token-2"))
                .willReturn(aResponse().withStatus(200).withBody("{\"status\":0,\"body\":{\"devices\":[]}}")));

        JsonNode body = withings.api.call(context, "v2/user", GETDEVICE);

        assertThat(body.path("devices").isArray()).isTrue();
        assertThat(context.tokenRefusedCalls).isEqualTo(1);
        assertThat(context.beforeRequestCalls).as("the retry is a request too").isEqualTo(2);
        withings.server.verify(2, postRequestedFor(urlPathEqualTo("/v2/user")));
    }

    @Test
    void aTokenRefusedTwiceIsTokenInvalid() {
        withings.stub(action("/v2/user", "getdevice"), "error-401.json");

        ProviderException invalid = catchThrowableOfType(ProviderException.class,
                () -> withings.api.call(context, "v2/user", GETDEVICE));

        assertThat(invalid.kind()).isEqualTo(Kind.TOKEN_INVALID);
        assertThat(invalid.getMessage()).contains("401").doesNotContain("token-");
        assertThat(context.tokenRefusedCalls).isEqualTo(1);
        withings.server.verify(2, postRequestedFor(urlPathEqualTo("/v2/user")));
    }

    @Test
    void tooManyRequestsIsRateLimitedWithoutARetry() {
        withings.stub(action("/v2/user", "getdevice"), "error-601.json");

        ProviderException limited = catchThrowableOfType(ProviderException.class,
                () -> withings.api.call(context, "v2/user", GETDEVICE));

        assertThat(limited.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(188));
        withings.server.verify(1, postRequestedFor(urlPathEqualTo("/v2/user")));
    }

    @Test
    void serverErrorsAndBrokenConnectionsAreUnavailable() {
        withings.server.stubFor(action("/v2/user", "getdevice").willReturn(aResponse().withStatus(503)));
        assertThat(catchThrowableOfType(ProviderException.class,
                () -> withings.api.call(context, "v2/user", GETDEVICE)).kind()).isEqualTo(Kind.UNAVAILABLE);

        withings.server.stubFor(action("/v2/user", "getdevice")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(catchThrowableOfType(ProviderException.class,
                () -> withings.api.call(context, "v2/user", GETDEVICE)).kind()).isEqualTo(Kind.UNAVAILABLE);
    }

    @Test
    void anUnreachableHostIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        WithingsApi nowhere = new WithingsApi(new WithingsSimulatorConfig("http://127.0.0.1:" + closedPort),
                withings.http);

        ProviderException unavailable = catchThrowableOfType(ProviderException.class,
                () -> nowhere.call(context, "v2/user", GETDEVICE));

        assertThat(unavailable.kind()).isEqualTo(Kind.UNAVAILABLE);
    }

    @Test
    void statusFamiliesFollowTheTable() {
        withings.server.stubFor(action("/v2/user", "getdevice").willReturn(aResponse().withStatus(200)
                .withBody("{\"status\":2555,\"body\":{},\"error\":\"Not allowed\"}")));
        assertThat(catchThrowableOfType(ProviderException.class,
                () -> withings.api.call(context, "v2/user", GETDEVICE)).kind()).isEqualTo(Kind.FORBIDDEN);

        withings.server.stubFor(action("/v2/user", "getdevice").willReturn(aResponse().withStatus(200)
                .withBody("{\"status\":503,\"body\":{},\"error\":\"Invalid Params\"}")));
        ProviderException invalid = catchThrowableOfType(ProviderException.class,
                () -> withings.api.call(context, "v2/user", GETDEVICE));
        assertThat(invalid.kind()).as("status 503 is invalid params, not an outage").isEqualTo(Kind.FAILED);
        assertThat(invalid.getMessage())
                .isEqualTo("Withings getdevice answered status 503 (invalid params): Invalid Params");

        withings.server.stubFor(action("/v2/user", "getdevice").willReturn(aResponse().withStatus(200)
                .withBody("{\"status\":522,\"body\":{}}")));
        assertThat(catchThrowableOfType(ProviderException.class,
                () -> withings.api.call(context, "v2/user", GETDEVICE)).kind()).isEqualTo(Kind.UNAVAILABLE);

        withings.server.stubFor(action("/v2/user", "getdevice").willReturn(aResponse().withStatus(200)
                .withBody("<html>maintenance</html>")));
        assertThat(catchThrowableOfType(ProviderException.class,
                () -> withings.api.call(context, "v2/user", GETDEVICE)).kind()).isEqualTo(Kind.FAILED);
    }

    @Test
    void familiesOfTheStatusTable() {
        assertThat(WithingsStatus.family(0)).isEqualTo(WithingsStatus.Family.SUCCESS);
        assertThat(WithingsStatus.family(100)).isEqualTo(WithingsStatus.Family.AUTHENTICATION_FAILED);
        assertThat(WithingsStatus.family(401)).isEqualTo(WithingsStatus.Family.AUTHENTICATION_FAILED);
        assertThat(WithingsStatus.family(503)).isEqualTo(WithingsStatus.Family.INVALID_PARAMS);
        assertThat(WithingsStatus.family(3018)).isEqualTo(WithingsStatus.Family.INVALID_PARAMS);
        assertThat(WithingsStatus.family(214)).isEqualTo(WithingsStatus.Family.UNAUTHORIZED);
        assertThat(WithingsStatus.family(2554)).isEqualTo(WithingsStatus.Family.NOT_IMPLEMENTED);
        assertThat(WithingsStatus.family(522)).isEqualTo(WithingsStatus.Family.TIMEOUT);
        assertThat(WithingsStatus.family(524)).isEqualTo(WithingsStatus.Family.BAD_STATE);
        assertThat(WithingsStatus.family(601)).isEqualTo(WithingsStatus.Family.TOO_MANY_REQUESTS);
        assertThat(WithingsStatus.family(602)).isEqualTo(WithingsStatus.Family.ERROR_OCCURRED);
        assertThat(WithingsStatus.family(10000)).isEqualTo(WithingsStatus.Family.ERROR_OCCURRED);
        assertThat(WithingsStatus.family(42)).isEqualTo(WithingsStatus.Family.UNKNOWN);
        assertThat(WithingsStatus.family(-1)).isEqualTo(WithingsStatus.Family.UNKNOWN);
    }

    @Test
    void providerTextsLoseAnythingTokenLike() {
        assertThat(WithingsStatus.safeText("invalid refresh_token f631236f02b991810feb774765b6ae8e6c6839ca"))
                .isEqualTo("invalid refresh_token [redacted]");
        assertThat(WithingsStatus.safeText("  ")).isNull();
    }

    private record WithingsSimulatorConfig(String apiUrl) implements WithingsConfig {
        @Override
        public String authUrl() {
            return apiUrl;
        }

        @Override
        public String tokenUrl() {
            return apiUrl;
        }

        @Override
        public String clientId() {
            return "c";
        }

        @Override
        public String clientSecret() {
            return "s";
        }

        @Override
        public String notifySecret() {
            return "n";
        }

        @Override
        public Duration connectTimeout() {
            return Duration.ofSeconds(1);
        }

        @Override
        public Duration requestTimeout() {
            return Duration.ofSeconds(2);
        }
    }
}
