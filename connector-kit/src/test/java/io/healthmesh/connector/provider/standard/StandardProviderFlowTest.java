package io.healthmesh.connector.provider.standard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.healthmesh.connector.testing.KitApi.internal;
import static io.healthmesh.connector.testing.KitApi.queryParameter;
import static io.healthmesh.connector.testing.KitApi.reports;
import static io.healthmesh.connector.testing.StandardOAuthServer.REVOKE_PATH;
import static io.healthmesh.connector.testing.StandardOAuthServer.TOKEN_PATH;
import static io.healthmesh.connector.testing.StandardOAuthServer.json;
import static io.healthmesh.connector.testing.StandardOAuthServer.oauthError;
import static io.healthmesh.connector.testing.StandardOAuthServer.personalInfo;
import static io.healthmesh.connector.testing.StandardOAuthServer.tokenRequest;
import static io.healthmesh.connector.testing.StandardOAuthServer.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.healthmesh.connector.connection.ConnectionDirectory;
import io.healthmesh.connector.crypto.Pkce;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.testing.KitDb;
import io.healthmesh.connector.testing.KitStackResource;
import io.healthmesh.connector.testing.LogCapture;
import io.healthmesh.connector.testing.StandardOAuthServer;
import io.healthmesh.connector.testing.StandardTestProvider;
import io.healthmesh.contracts.status.ConnectionState;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A standard provider declared like a connector declares one ({@link StandardTestProvider}: a CDI
 * producer over {@link StandardOAuthProviders}, PKCE, RFC 7009 revocation, the user id from an
 * Oura-like {@code personal_info} call) going through the kit's whole connect, refresh and
 * disconnect paths against real PostgreSQL and Kafka.
 */
@QuarkusTest
@WithTestResource(KitStackResource.class)
class StandardProviderFlowTest {

    private static final String SOURCE = StandardTestProvider.SOURCE;

    @Inject
    ConnectionDirectory directory;

    private WireMockServer server;
    private LogCapture log;
    private final List<String> secrets = new ArrayList<>(List.of(StandardOAuthServer.CLIENT_SECRET));

    @BeforeEach
    void start() {
        server = StandardOAuthServer.server();
        server.resetAll();
        log = LogCapture.install();
    }

    @AfterEach
    void noSecretWasLogged() {
        log.assertNoneOf(secrets);
    }

    /** Connects {@code user} through the kit; the provider grants {@code access}/{@code refresh}. */
    private void connect(String user, String access, String refresh) {
        String code = "code-" + UUID.randomUUID();
        secrets.addAll(List.of(access, refresh, code));
        server.stubFor(tokenRequest("authorization_code").withFormParam("code", equalTo(code))
                .willReturn(tokens(access, refresh, 86400L, "personal daily heartrate")));
        server.stubFor(personalInfo(access).willReturn(json(200, "{\"id\":\"oura-" + user + "\"}")));

        URI url = URI.create(internal().when().get("/internal/users/{u}/connect/{s}", user, SOURCE)
                .then().statusCode(200).extract().path("authorizationUrl"));
        String challenge = queryParameter(url, "code_challenge");
        assertThat(challenge).isNotBlank();
        assertThat(queryParameter(url, "code_challenge_method")).isEqualTo("S256");
        assertThat(queryParameter(url, "redirect_uri")).endsWith("/api/v1/connect/" + SOURCE + "/callback");

        internal().queryParam("state", queryParameter(url, "state")).queryParam("code", code)
                .when().get("/internal/connect/{s}/callback", SOURCE).then().statusCode(302);

        List<LoggedRequest> exchanges = server.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withFormParam("code", equalTo(code)));
        assertThat(exchanges).hasSize(1);
        String verifier = exchanges.get(0).formParameter("code_verifier").firstValue();
        secrets.add(verifier);
        assertThat(Pkce.s256Challenge(verifier)).as("the verifier matches the challenge of the URL")
                .isEqualTo(challenge);
    }

    private static void expireSoon(String user) {
        assertThat(KitDb.update("UPDATE " + KitDb.schema() + ".connection SET access_expires_at = now()"
                + " + interval '1 minute' WHERE user_id = ? AND source = ?", user, SOURCE)).isEqualTo(1);
    }

    @Test
    void aConnectStoresTheGrantAndTheUserIdTheLookupFound() throws Exception {
        String user = "user-" + UUID.randomUUID();
        String access = "access-" + UUID.randomUUID();

        connect(user, access, "refresh-" + UUID.randomUUID());

        assertThat(KitDb.connection(user, SOURCE)).containsEntry("provider_user_id", "oura-" + user)
                .containsEntry("scope", "personal daily heartrate").containsEntry("state", "backfilling");
        assertThat(directory.accessToken(user, SOURCE, null)).isEqualTo(access);
        assertThat(directory.byProviderUser(SOURCE, "oura-" + user)).hasValueSatisfying(ref ->
                assertThat(ref.userId()).isEqualTo(user));
    }

    @Test
    void aRotatedRefreshTokenIsStoredAndUsedForTheNextRefresh() throws Exception {
        String user = "user-" + UUID.randomUUID();
        String firstRefresh = "refresh-" + UUID.randomUUID();
        connect(user, "access-" + UUID.randomUUID(), firstRefresh);
        String secondAccess = "access-2-" + UUID.randomUUID();
        String secondRefresh = "refresh-2-" + UUID.randomUUID();
        secrets.addAll(List.of(secondAccess, secondRefresh));
        server.stubFor(tokenRequest("refresh_token").withFormParam("refresh_token", equalTo(firstRefresh))
                .willReturn(tokens(secondAccess, secondRefresh, 86400L, null)));
        server.stubFor(tokenRequest("refresh_token").withFormParam("refresh_token", equalTo(secondRefresh))
                .willReturn(tokens("access-3", null, 86400L, null)));

        expireSoon(user);
        assertThat(directory.accessToken(user, SOURCE, null)).isEqualTo(secondAccess);
        expireSoon(user);
        assertThat(directory.accessToken(user, SOURCE, null)).as("refreshed with the rotated token")
                .isEqualTo("access-3");
        // The provider did not rotate the second time: the kit keeps the second refresh token.
        expireSoon(user);
        directory.accessToken(user, SOURCE, null);
        server.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withFormParam("refresh_token", equalTo(secondRefresh)));
        assertThat(KitDb.connection(user, SOURCE)).as("a refresh without scope keeps the stored one")
                .containsEntry("scope", "personal daily heartrate");
    }

    @Test
    void anInvalidGrantOnRefreshMakesTheConnectionTokenExpired() {
        String user = "user-" + UUID.randomUUID();
        String refresh = "refresh-" + UUID.randomUUID();
        connect(user, "access-" + UUID.randomUUID(), refresh);
        server.stubFor(tokenRequest("refresh_token").willReturn(oauthError(400, "invalid_grant",
                "The refresh token was already used")));
        expireSoon(user);

        assertThatThrownBy(() -> directory.accessToken(user, SOURCE, null))
                .isInstanceOfSatisfying(ProviderException.class, e ->
                        assertThat(e.kind()).isEqualTo(ProviderException.Kind.GRANT_REFUSED));

        assertThat(KitDb.connection(user, SOURCE).get("state")).isEqualTo("token_expired");
        assertThat(directory.maySync(user, SOURCE)).isFalse();
        assertThat(reports(user, SOURCE)).last().satisfies(status ->
                assertThat(status.state()).isEqualTo(ConnectionState.TOKEN_EXPIRED));
    }

    @Test
    void aProviderOutageOnRefreshLeavesTheConnectionAlone() {
        String user = "user-" + UUID.randomUUID();
        connect(user, "access-" + UUID.randomUUID(), "refresh-" + UUID.randomUUID());
        server.stubFor(tokenRequest("refresh_token").willReturn(aResponse().withStatus(503)));
        expireSoon(user);

        assertThatThrownBy(() -> directory.accessToken(user, SOURCE, null))
                .isInstanceOfSatisfying(ProviderException.class, e ->
                        assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNAVAILABLE));
        assertThat(KitDb.connection(user, SOURCE).get("state")).isEqualTo("backfilling");
    }

    @Test
    void aRefusedCodeIsACodeRefusedProblem() {
        String user = "user-" + UUID.randomUUID();
        server.stubFor(tokenRequest("authorization_code").willReturn(oauthError(400, "invalid_grant", "expired")));
        URI url = URI.create(internal().when().get("/internal/users/{u}/connect/{s}", user, SOURCE)
                .then().statusCode(200).extract().path("authorizationUrl"));

        internal().queryParam("state", queryParameter(url, "state")).queryParam("code", "stale-code")
                .when().get("/internal/connect/{s}/callback", SOURCE)
                .then().statusCode(400).body("type", org.hamcrest.Matchers.equalTo("urn:healthmesh:problem:code-refused"));
        assertThat(KitDb.connection(user, SOURCE)).isEmpty();
    }

    @Test
    void aDisconnectRevokesTheGrantAtTheProvider() {
        String user = "user-" + UUID.randomUUID();
        String access = "access-" + UUID.randomUUID();
        String refresh = "refresh-" + UUID.randomUUID();
        connect(user, access, refresh);
        server.stubFor(post(urlPathEqualTo(REVOKE_PATH)).willReturn(aResponse().withStatus(200)));

        internal().when().delete("/internal/users/{u}/connections/{s}", user, SOURCE).then().statusCode(200);

        server.verify(1, postRequestedFor(urlPathEqualTo(REVOKE_PATH)).withFormParam("token", equalTo(refresh))
                .withFormParam("token_type_hint", equalTo("refresh_token")));
        server.verify(1, postRequestedFor(urlPathEqualTo(REVOKE_PATH)).withFormParam("token", equalTo(access))
                .withFormParam("token_type_hint", equalTo("access_token")));
    }
}
