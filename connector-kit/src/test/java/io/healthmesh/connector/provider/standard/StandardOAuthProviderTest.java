package io.healthmesh.connector.provider.standard;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.healthmesh.connector.testing.StandardOAuthServer.CLIENT_ID;
import static io.healthmesh.connector.testing.StandardOAuthServer.CLIENT_SECRET;
import static io.healthmesh.connector.testing.StandardOAuthServer.REVOKE_PATH;
import static io.healthmesh.connector.testing.StandardOAuthServer.TOKEN_PATH;
import static io.healthmesh.connector.testing.StandardOAuthServer.json;
import static io.healthmesh.connector.testing.StandardOAuthServer.oauthError;
import static io.healthmesh.connector.testing.StandardOAuthServer.personalInfo;
import static io.healthmesh.connector.testing.StandardOAuthServer.tokenRequest;
import static io.healthmesh.connector.testing.StandardOAuthServer.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.healthmesh.connector.crypto.Pkce;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.connector.provider.TokenGrant;
import io.healthmesh.connector.testing.KitStackResource;
import io.healthmesh.connector.testing.LogCapture;
import io.healthmesh.connector.testing.StandardOAuthServer;
import io.healthmesh.connector.testing.StandardTestProvider;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The standard OAuth2 provider on quarkus-oidc-client against a WireMock authorization server:
 * what goes out (authorization URL, token and revocation requests) and how every answer maps to
 * the kit's {@link ProviderException} kinds. Inside the kit's test app because the OIDC client
 * needs Quarkus (Vert.x, CDI filters).
 */
@QuarkusTest
@WithTestResource(KitStackResource.class)
class StandardOAuthProviderTest {

    private static final String REDIRECT = "https://health.example.org/api/v1/connect/standard-test/callback";
    private static final String ACCESS = "acc3ss-t0ken-value-0123456789abcdefghij";
    private static final String REFRESH = "r3fresh-t0ken-value-0123456789abcdefghij";
    private static final String ROTATED_ACCESS = "rotated-acc3ss-0123456789abcdefghijkl";
    private static final String ROTATED_REFRESH = "rotated-r3fresh-0123456789abcdefghijkl";
    private static final String CODE = "auth-c0de-0123456789abcdefghijklmnop";

    @Inject
    StandardOAuthProviders providers;

    private final List<StandardOAuthProvider> created = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>(List.of(ACCESS, REFRESH, ROTATED_ACCESS, ROTATED_REFRESH,
            CODE, CLIENT_SECRET, basic(CLIENT_ID, CLIENT_SECRET).substring("Basic ".length())));
    private WireMockServer server;
    private LogCapture log;

    @BeforeEach
    void start() {
        server = StandardOAuthServer.server();
        server.resetAll();
        log = LogCapture.install();
    }

    @AfterEach
    void noSecretWasLogged() {
        created.forEach(StandardOAuthProvider::close);
        log.assertNoneOf(secrets);
    }

    private StandardOAuthProvider provider(StandardOAuthSettings.Builder settings) {
        StandardOAuthProvider provider = providers.create(settings.build());
        created.add(provider);
        return provider;
    }

    private StandardOAuthProvider provider() {
        return provider(StandardTestProvider.settings("standard-unit"));
    }

    // --- the authorization URL

    @Test
    void theAuthorizationUrlCarriesStateScopesRedirectAndTheS256Challenge() throws Exception {
        StandardOAuthProvider provider = provider(StandardTestProvider.settings("standard-unit").pkce(true)
                .authorizeParameter("prompt", "consent"));
        String verifier = Pkce.newVerifier();
        secrets.add(verifier);

        URI url = provider.authorizationUrl("state-id.signature", Pkce.s256Challenge(verifier), REDIRECT);

        assertThat(provider.supportsPkce()).isTrue();
        assertThat(url.getScheme() + "://" + url.getAuthority() + url.getPath())
                .isEqualTo(StandardOAuthServer.url(StandardOAuthServer.AUTHORIZE_PATH));
        // The challenge computed here independently: BASE64URL(SHA-256(ASCII(verifier))), no padding.
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        assertThat(query(url)).containsExactly(
                Map.entry("response_type", "code"),
                Map.entry("client_id", CLIENT_ID),
                Map.entry("redirect_uri", REDIRECT),
                Map.entry("scope", "personal daily heartrate"),
                Map.entry("state", "state-id.signature"),
                Map.entry("code_challenge", challenge),
                Map.entry("code_challenge_method", "S256"),
                Map.entry("prompt", "consent"));
        assertThat(url.toString()).doesNotContain(CLIENT_SECRET).doesNotContain(verifier);
    }

    @Test
    void withoutPkceTheUrlHasNoChallengeAndKeepsTheEndpointsOwnQuery() {
        StandardOAuthProvider provider = provider(StandardTestProvider.settings("standard-unit")
                .authorizationEndpoint(StandardOAuthServer.url("/authorize2?tenant=eu"))
                .scopes("user.metrics", "user.activity").scopeSeparator(","));

        URI url = provider.authorizationUrl("s.1", null, REDIRECT);

        assertThat(provider.supportsPkce()).isFalse();
        assertThat(url.getPath()).isEqualTo("/authorize2");
        assertThat(query(url)).containsExactly(
                Map.entry("tenant", "eu"),
                Map.entry("response_type", "code"),
                Map.entry("client_id", CLIENT_ID),
                Map.entry("redirect_uri", REDIRECT),
                Map.entry("scope", "user.metrics,user.activity"),
                Map.entry("state", "s.1"));
    }

    @Test
    void settingsRefuseWhatWouldBreakTheFlow() {
        assertThatThrownBy(() -> StandardTestProvider.settings("x").authorizeParameter("state", "fixed").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state");
        assertThatThrownBy(() -> StandardTestProvider.settings("x").tokenEndpoint("/oauth/token").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token endpoint");
        assertThatThrownBy(() -> StandardTestProvider.settings("x")
                .client(CLIENT_ID, "", ClientAuthentication.CLIENT_SECRET_POST).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(StandardTestProvider.settings("x").build().toString()).doesNotContain(CLIENT_SECRET);
    }

    // --- code exchange

    @Test
    void theExchangePostsCodeRedirectVerifierAndTheClientSecretInTheForm() throws Exception {
        server.stubFor(tokenRequest("authorization_code")
                .willReturn(tokens(ACCESS, REFRESH, 86400L, "personal daily")));
        server.stubFor(personalInfo(ACCESS).willReturn(json(200, "{\"id\":\"4E3B9C2A1D\",\"age\":31}")));
        StandardOAuthProvider provider = providers.create(StandardTestProvider.settings("standard-unit").pkce(true)
                .build(), StandardTestProvider.PERSONAL_INFO);
        created.add(provider);
        String verifier = Pkce.newVerifier();
        secrets.add(verifier);

        TokenGrant grant = provider.exchange(CODE, verifier, REDIRECT);

        assertThat(grant.accessToken()).isEqualTo(ACCESS);
        assertThat(grant.refreshToken()).isEqualTo(REFRESH);
        assertThat(grant.expiresIn()).isEqualTo(Duration.ofSeconds(86400));
        assertThat(grant.scope()).as("the scopes granted, fewer than asked").isEqualTo("personal daily");
        assertThat(grant.providerUserId()).as("from the pluggable lookup").isEqualTo("4E3B9C2A1D");
        server.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withHeader("Authorization", absent())
                .withFormParam("grant_type", equalTo("authorization_code"))
                .withFormParam("code", equalTo(CODE))
                .withFormParam("redirect_uri", equalTo(REDIRECT))
                .withFormParam("code_verifier", equalTo(verifier))
                .withFormParam("client_id", equalTo(CLIENT_ID))
                .withFormParam("client_secret", equalTo(CLIENT_SECRET))
                .withFormParam("scope", absent()));
        server.verify(1, getRequestedFor(urlPathEqualTo(StandardOAuthServer.PERSONAL_INFO_PATH)));
        assertThat(grant.toString()).doesNotContain(ACCESS).doesNotContain(REFRESH);
    }

    @Test
    void withClientSecretBasicTheSecretTravelsInTheAuthorizationHeaderOnly() throws Exception {
        server.stubFor(tokenRequest("authorization_code").willReturn(tokens(ACCESS, REFRESH, 3600L, null)));
        StandardOAuthProvider provider = provider(StandardTestProvider.settings("standard-unit")
                .client(CLIENT_ID, CLIENT_SECRET, ClientAuthentication.CLIENT_SECRET_BASIC));

        TokenGrant grant = provider.exchange(CODE, "ignored-without-pkce", REDIRECT);

        assertThat(grant.scope()).as("no scope in the answer: what was asked (RFC 6749 5.1)")
                .isEqualTo("personal daily heartrate");
        assertThat(grant.providerUserId()).isNull();
        server.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withHeader("Authorization", equalTo(basic(CLIENT_ID, CLIENT_SECRET)))
                .withFormParam("grant_type", equalTo("authorization_code"))
                .withFormParam("code", equalTo(CODE))
                .withFormParam("redirect_uri", equalTo(REDIRECT))
                .withFormParam("code_verifier", absent())
                .withFormParam("client_secret", absent()));
    }

    @Test
    void aRefusedCodeIsGrantRefusedAndTheMessageQuotesNoSecret() {
        server.stubFor(tokenRequest("authorization_code").willReturn(oauthError(400, "invalid_grant",
                "The code " + CODE + " has expired")));

        ProviderException refused = catchThrowableOfType(ProviderException.class,
                () -> provider().exchange(CODE, null, REDIRECT));

        assertThat(refused.kind()).isEqualTo(Kind.GRANT_REFUSED);
        assertThat(refused.getMessage()).contains("400").contains("invalid_grant").contains("[redacted]")
                .doesNotContain(CODE).doesNotContain(CLIENT_SECRET);
    }

    @Test
    void anExchangeWithoutARefreshTokenFails() {
        server.stubFor(tokenRequest("authorization_code").willReturn(tokens(ACCESS, null, 3600L, null)));

        ProviderException failed = catchThrowableOfType(ProviderException.class,
                () -> provider().exchange(CODE, null, REDIRECT));

        assertThat(failed.kind()).isEqualTo(Kind.FAILED);
        assertThat(failed.getMessage()).contains("without a refresh token");
    }

    // --- refresh

    @Test
    void aRefreshThatRotatesHandsBackTheNewRefreshToken() throws Exception {
        server.stubFor(tokenRequest("refresh_token")
                .willReturn(tokens(ROTATED_ACCESS, ROTATED_REFRESH, 86400L, "personal daily heartrate")));

        TokenGrant grant = provider().refresh(REFRESH);

        assertThat(grant.accessToken()).isEqualTo(ROTATED_ACCESS);
        assertThat(grant.refreshToken()).as("the new refresh token replaces the old").isEqualTo(ROTATED_REFRESH);
        assertThat(grant.expiresIn()).isEqualTo(Duration.ofSeconds(86400));
        assertThat(grant.scope()).isEqualTo("personal daily heartrate");
        assertThat(grant.providerUserId()).as("the lookup runs on connect only").isNull();
        server.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withFormParam("grant_type", equalTo("refresh_token"))
                .withFormParam("refresh_token", equalTo(REFRESH))
                .withFormParam("client_id", equalTo(CLIENT_ID))
                .withFormParam("client_secret", equalTo(CLIENT_SECRET))
                .withFormParam("scope", absent()));
    }

    @Test
    void aRefreshThatDoesNotRotateKeepsTheOldRefreshTokenAndTheDefaultLifetime() throws Exception {
        server.stubFor(tokenRequest("refresh_token").willReturn(tokens(ROTATED_ACCESS, null, null, null)));
        StandardOAuthProvider provider = provider(StandardTestProvider.settings("standard-unit")
                .defaultExpiresIn(Duration.ofMinutes(30)));

        TokenGrant grant = provider.refresh(REFRESH);

        assertThat(grant.accessToken()).isEqualTo(ROTATED_ACCESS);
        assertThat(grant.refreshToken()).isEqualTo(REFRESH);
        assertThat(grant.expiresIn()).isEqualTo(Duration.ofMinutes(30));
        assertThat(grant.scope()).as("null keeps the stored scope").isNull();
    }

    @Test
    void aRefusedRefreshIsGrantRefused() {
        // Oura's single-use refresh tokens: a used one is answered invalid_grant (the kit's token_expired path).
        server.stubFor(tokenRequest("refresh_token").willReturn(oauthError(400, "invalid_grant",
                "Invalid refresh token")));

        ProviderException refused = catchThrowableOfType(ProviderException.class, () -> provider().refresh(REFRESH));

        assertThat(refused.kind()).isEqualTo(Kind.GRANT_REFUSED);
        assertThat(refused.getMessage()).contains("refresh_token").contains("invalid_grant")
                .doesNotContain(REFRESH).doesNotContain(CLIENT_SECRET);
    }

    @Test
    void aRefusedClientIsAFailureNotARefusedGrant() {
        // invalid_client: our registration is wrong; the user connecting again would not help.
        server.stubFor(tokenRequest("refresh_token").willReturn(oauthError(401, "invalid_client", "Unknown client")));

        ProviderException failed = catchThrowableOfType(ProviderException.class, () -> provider().refresh(REFRESH));

        assertThat(failed.kind()).isEqualTo(Kind.FAILED);
        assertThat(failed.getMessage()).contains("401").contains("invalid_client");
    }

    @Test
    void serverErrorsAreUnavailable() {
        server.stubFor(tokenRequest("refresh_token").willReturn(aResponse().withStatus(502)
                .withBody("<html>Bad gateway</html>")));

        ProviderException unavailable = catchThrowableOfType(ProviderException.class,
                () -> provider().refresh(REFRESH));

        assertThat(unavailable.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(unavailable.getMessage()).contains("502");
    }

    @Test
    void tooManyRequestsIsRateLimitedWithRetryAfter() {
        server.stubFor(tokenRequest("refresh_token").willReturn(oauthError(429, "slow_down", "Too many")
                .withHeader("Retry-After", "120")));
        server.stubFor(tokenRequest("authorization_code").willReturn(aResponse().withStatus(429)));

        ProviderException limited = catchThrowableOfType(ProviderException.class, () -> provider().refresh(REFRESH));
        ProviderException limitedWithoutWait = catchThrowableOfType(ProviderException.class,
                () -> provider().exchange(CODE, null, REDIRECT));

        assertThat(limited.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(120));
        assertThat(limitedWithoutWait.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(limitedWithoutWait.retryAfter()).isNull();
    }

    @Test
    void anEndpointThatCannotBeReachedOrDoesNotAnswerIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        StandardOAuthProvider unreachable = provider(StandardTestProvider.settings("standard-unit")
                .tokenEndpoint("http://127.0.0.1:" + closedPort + "/oauth/token"));
        server.stubFor(tokenRequest("refresh_token").willReturn(tokens(ACCESS, REFRESH, 3600L, null)
                .withFixedDelay(3000)));
        StandardOAuthProvider slow = provider(StandardTestProvider.settings("standard-unit")
                .requestTimeout(Duration.ofMillis(500)));

        ProviderException notReached = catchThrowableOfType(ProviderException.class,
                () -> unreachable.refresh(REFRESH));
        ProviderException timedOut = catchThrowableOfType(ProviderException.class, () -> slow.refresh(REFRESH));

        assertThat(notReached.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(notReached.getMessage()).contains("could not be reached");
        assertThat(timedOut.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(timedOut.getMessage()).contains("timed out");
    }

    @Test
    void anAnswerThatIsNotATokenResponseFails() {
        server.stubFor(tokenRequest("refresh_token").willReturn(aResponse().withStatus(200).withBody("not json "
                + ACCESS)));

        ProviderException failed = catchThrowableOfType(ProviderException.class, () -> provider().refresh(REFRESH));

        assertThat(failed.kind()).isEqualTo(Kind.FAILED);
        assertThat(failed.getMessage()).doesNotContain(ACCESS);
    }

    // --- revocation

    @Test
    void rfc7009RevocationPostsTheRefreshThenTheAccessTokenWithClientAuthentication() throws Exception {
        server.stubFor(post(urlPathEqualTo(REVOKE_PATH)).willReturn(aResponse().withStatus(200)));
        StandardOAuthProvider provider = provider(StandardTestProvider.settings("standard-unit")
                .revocation(Revocation.rfc7009(StandardOAuthServer.url(REVOKE_PATH))));

        provider.revoke(ACCESS, REFRESH);

        server.verify(2, postRequestedFor(urlPathEqualTo(REVOKE_PATH)));
        server.verify(1, postRequestedFor(urlPathEqualTo(REVOKE_PATH))
                .withFormParam("token", equalTo(REFRESH))
                .withFormParam("token_type_hint", equalTo("refresh_token"))
                .withFormParam("client_id", equalTo(CLIENT_ID))
                .withFormParam("client_secret", equalTo(CLIENT_SECRET)));
        server.verify(1, postRequestedFor(urlPathEqualTo(REVOKE_PATH))
                .withFormParam("token", equalTo(ACCESS))
                .withFormParam("token_type_hint", equalTo("access_token")));
        assertThat(server.getAllServeEvents().get(server.getAllServeEvents().size() - 1).getRequest()
                .formParameter("token").firstValue()).as("the refresh token goes first").isEqualTo(REFRESH);
    }

    @Test
    void rfc7009RevocationMapsTheAnswer() {
        StandardOAuthProvider provider = provider(StandardTestProvider.settings("standard-unit")
                .revocation(Revocation.rfc7009(StandardOAuthServer.url(REVOKE_PATH))));
        server.stubFor(post(urlPathEqualTo(REVOKE_PATH)).willReturn(aResponse().withStatus(503)
                .withHeader("Retry-After", "30")));

        ProviderException unavailable = catchThrowableOfType(ProviderException.class,
                () -> provider.revoke(ACCESS, REFRESH));

        assertThat(unavailable.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(unavailable.getMessage()).contains("503").doesNotContain(REFRESH);

        // A server that revokes only access tokens says so for the refresh token; the access token still goes.
        server.resetAll();
        server.stubFor(post(urlPathEqualTo(REVOKE_PATH)).withFormParam("token_type_hint", equalTo("refresh_token"))
                .willReturn(oauthError(400, "unsupported_token_type", "refresh tokens are not revocable")));
        server.stubFor(post(urlPathEqualTo(REVOKE_PATH)).withFormParam("token_type_hint", equalTo("access_token"))
                .willReturn(aResponse().withStatus(200)));

        assertThatNoProviderException(() -> provider.revoke(ACCESS, REFRESH));
        server.verify(2, postRequestedFor(urlPathEqualTo(REVOKE_PATH)));
    }

    @Test
    void queryRevocationGetsTheEndpointWithTheAccessTokenAndToleratesAGoneToken() throws Exception {
        StandardOAuthProvider provider = provider(StandardTestProvider.settings("standard-unit")
                .revocation(Revocation.accessTokenQuery(StandardOAuthServer.url(REVOKE_PATH))));
        server.stubFor(get(urlPathEqualTo(REVOKE_PATH)).willReturn(aResponse().withStatus(200)));

        provider.revoke(ACCESS, REFRESH);

        server.verify(1, getRequestedFor(urlPathEqualTo(REVOKE_PATH)).withQueryParam("access_token", equalTo(ACCESS)));
        assertThat(server.getAllServeEvents()).hasSize(1);

        server.resetAll();
        server.stubFor(get(urlPathEqualTo(REVOKE_PATH)).willReturn(aResponse().withStatus(401)));
        assertThatNoProviderException(() -> provider.revoke(ACCESS, REFRESH));

        server.resetAll();
        server.stubFor(get(urlPathEqualTo(REVOKE_PATH)).willReturn(aResponse().withStatus(500)));
        ProviderException unavailable = catchThrowableOfType(ProviderException.class,
                () -> provider.revoke(ACCESS, REFRESH));
        assertThat(unavailable.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(unavailable.getMessage()).doesNotContain(ACCESS);
    }

    @Test
    void withoutRevocationNothingIsSent() throws Exception {
        provider().revoke(ACCESS, REFRESH);

        assertThat(server.getAllServeEvents()).isEmpty();
    }

    // --- logging

    @Test
    void theOidcClientNeverLogsItsRequestsEvenWithOidcDebugOn() throws Exception {
        // The test app turns on DEBUG for io.quarkus.oidc (application.properties); the kit pins the one logger
        // that prints token request forms and headers to INFO.
        assertThat(Logger.getLogger("io.quarkus.oidc.client.runtime.OidcClientRecorder").isDebugEnabled()).isTrue();
        assertThat(Logger.getLogger("io.quarkus.oidc.client.runtime.OidcClientImpl").isDebugEnabled()).isFalse();
        server.stubFor(tokenRequest("authorization_code").willReturn(tokens(ACCESS, REFRESH, 60L, null)));
        server.stubFor(tokenRequest("refresh_token").willReturn(oauthError(400, "invalid_grant", "used")));
        StandardOAuthProvider provider = provider(StandardTestProvider.settings("standard-unit")
                .client(CLIENT_ID, CLIENT_SECRET, ClientAuthentication.CLIENT_SECRET_BASIC));

        provider.exchange(CODE, null, REDIRECT);
        catchThrowableOfType(ProviderException.class, () -> provider.refresh(REFRESH));

        // @AfterEach checks every captured line against the secrets.
        assertThat(log.lines()).isNotNull();
    }

    private interface ProviderCall {
        void run() throws ProviderException;
    }

    private static void assertThatNoProviderException(ProviderCall call) {
        try {
            call.run();
        } catch (ProviderException e) {
            throw new AssertionError("unexpected " + e.kind() + ": " + e.getMessage(), e);
        }
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
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
