package io.healthmesh.withings.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.healthmesh.withings.WithingsSimulator.action;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.connector.provider.TokenGrant;
import io.healthmesh.withings.WithingsSimulator;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WithingsOAuthTest {

    private static final String REDIRECT = "https://health.example.org/api/v1/connect/withings/callback";

    private WithingsSimulator withings;

    @BeforeEach
    void start() {
        withings = new WithingsSimulator();
    }

    @AfterEach
    void stop() {
        withings.close();
    }

    @Test
    void authorizationUrlAsksForTheCodeWithCommaSeparatedScopesAndNoPkce() {
        URI url = withings.oauth.authorizationUrl("signed.state-1", null, REDIRECT);

        assertThat(withings.oauth.source()).isEqualTo("withings");
        assertThat(withings.oauth.supportsPkce()).isFalse();
        assertThat(url.getScheme() + "://" + url.getAuthority() + url.getPath())
                .isEqualTo(withings.config.authUrl());
        assertThat(query(url)).containsExactly(
                Map.entry("response_type", "code"),
                Map.entry("client_id", WithingsSimulator.CLIENT_ID),
                Map.entry("scope", "user.info,user.metrics,user.activity"),
                Map.entry("redirect_uri", REDIRECT),
                Map.entry("state", "signed.state-1"));
        assertThat(url.toString()).doesNotContain(WithingsSimulator.CLIENT_SECRET);
    }

    @Test
    void exchangeSendsRequesttokenAndReadsTheEnvelope() throws Exception {
        withings.stub(action("/v2/oauth2", "requesttoken").withFormParam("grant_type", equalTo("authorization_code")),
                "token.json");

        TokenGrant grant = withings.oauth.exchange("code-xyz", null, REDIRECT);

        assertThat(grant.accessToken()).isEqualTo("a075f8c14fb8df40b08ebc8508533dc332a6910a");
        assertThat(grant.refreshToken()).isEqualTo("f631236f02b991810feb774765b6ae8e6c6839ca");
        assertThat(grant.expiresIn()).isEqualTo(Duration.ofSeconds(10800));
        assertThat(grant.providerUserId()).isEqualTo("363");
        assertThat(grant.scope()).isEqualTo("user.info,user.metrics,user.activity");
        withings.server.verify(1, postRequestedFor(urlPathEqualTo("/v2/oauth2"))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withHeader("Authorization", absent())
                .withFormParam("action", equalTo("requesttoken"))
                .withFormParam("grant_type", equalTo("authorization_code"))
                .withFormParam("client_id", equalTo(WithingsSimulator.CLIENT_ID))
                .withFormParam("client_secret", equalTo(WithingsSimulator.CLIENT_SECRET))
                .withFormParam("code", equalTo("code-xyz"))
                .withFormParam("redirect_uri", equalTo(REDIRECT)));
    }

    @Test
    void refreshRotatesTheRefreshToken() throws Exception {
        withings.stub(action("/v2/oauth2", "requesttoken").withFormParam("grant_type", equalTo("refresh_token")),
                "token-refreshed.json");

        TokenGrant grant = withings.oauth.refresh("f631236f02b991810feb774765b6ae8e6c6839ca");

        assertThat(grant.accessToken()).isEqualTo("5ba1c0c4e1a9c13eda5b0f8cbd1f1b1d7e0e2a33");
        assertThat(grant.refreshToken()).as("the new refresh token replaces the old")
                .isEqualTo("9d2f7e6c5b4a39281706f5e4d3c2b1a09f8e7d6c");
        assertThat(grant.providerUserId()).as("userid sent as a string").isEqualTo("363");
        assertThat(grant.scope()).isEqualTo("user.info,user.metrics");
        withings.server.verify(1, postRequestedFor(urlPathEqualTo("/v2/oauth2"))
                .withFormParam("action", equalTo("requesttoken"))
                .withFormParam("grant_type", equalTo("refresh_token"))
                .withFormParam("client_id", equalTo(WithingsSimulator.CLIENT_ID))
                .withFormParam("client_secret", equalTo(WithingsSimulator.CLIENT_SECRET))
                .withFormParam("refresh_token", equalTo("f631236f02b991810feb774765b6ae8e6c6839ca")));
        assertThat(grant.toString()).doesNotContain(grant.accessToken()).doesNotContain(grant.refreshToken());
    }

    @Test
    void aRefusedRefreshIsGrantRefusedAndTheMessageHoldsNoToken() {
        // Withings refuses a used or stale refresh token with HTTP 200 and a non-zero status.
        withings.stub(action("/v2/oauth2", "requesttoken"), "error-503.json");

        ProviderException refused = catchThrowableOfType(ProviderException.class,
                () -> withings.oauth.refresh("f631236f02b991810feb774765b6ae8e6c6839ca"));

        assertThat(refused.kind()).isEqualTo(Kind.GRANT_REFUSED);
        assertThat(refused.getMessage()).contains("503").contains("invalid params")
                .doesNotContain("f631236f02b991810feb774765b6ae8e6c6839ca")
                .doesNotContain(WithingsSimulator.CLIENT_SECRET);
    }

    @Test
    void anInvalidTokenStatusOnTheTokenEndpointIsGrantRefused() {
        withings.stub(action("/v2/oauth2", "requesttoken"), "error-401.json");

        ProviderException refused = catchThrowableOfType(ProviderException.class,
                () -> withings.oauth.exchange("used-code", null, REDIRECT));

        assertThat(refused.kind()).isEqualTo(Kind.GRANT_REFUSED);
    }

    @Test
    void tooManyRequestsOnTheTokenEndpointIsRateLimitedWithTheWait() {
        withings.stub(action("/v2/oauth2", "requesttoken"), "error-601.json");

        ProviderException limited = catchThrowableOfType(ProviderException.class,
                () -> withings.oauth.refresh("f631236f02b991810feb774765b6ae8e6c6839ca"));

        assertThat(limited.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(188));
    }

    @Test
    void serverErrorsAreUnavailable() {
        withings.server.stubFor(action("/v2/oauth2", "requesttoken").willReturn(aResponse().withStatus(502)));

        ProviderException unavailable = catchThrowableOfType(ProviderException.class,
                () -> withings.oauth.refresh("f631236f02b991810feb774765b6ae8e6c6839ca"));

        assertThat(unavailable.kind()).isEqualTo(Kind.UNAVAILABLE);
    }

    @Test
    void revokeSendsNothing() {
        withings.oauth.revoke("a075f8c14fb8df40b08ebc8508533dc332a6910a", "f631236f02b991810feb774765b6ae8e6c6839ca");

        assertThat(withings.server.getAllServeEvents()).isEmpty();
    }

    private static Map<String, String> query(URI url) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            query.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return query;
    }
}
