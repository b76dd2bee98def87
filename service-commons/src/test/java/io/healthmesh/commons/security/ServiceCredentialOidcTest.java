package io.healthmesh.commons.security;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.healthmesh.commons.client.PreferencesClient;
import io.healthmesh.contracts.policy.Policy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service credential in oidc mode, against an issuer on WireMock ({@link TestIssuer}): what
 * internal routes accept and refuse, key rotation, and the client-credentials token that outgoing
 * calls carry.
 */
@QuarkusTest
@TestProfile(OidcModeProfile.class)
class ServiceCredentialOidcTest {

    private static final Logs LOGS = new Logs();

    @Inject
    @RestClient
    PreferencesClient preferences;

    @Inject
    ServiceCredentials credentials;

    /** Every token a test made or saw: none may reach the log. */
    private final List<String> tokens = new ArrayList<>();

    @BeforeEach
    void issuerPublishesItsKey() {
        LOGS.install();
        TestIssuer.publishKeys(TestIssuer.KEY_1);
    }

    @AfterEach
    void noTokenReachedTheLog() {
        tokens.add(TestIssuer.CLIENT_SECRET);
        tokens.add("local-service-secret");
        for (String token : tokens) {
            String signature = token.substring(token.lastIndexOf('.') + 1);
            assertThat(LOGS.lines()).as("log lines").noneMatch(line -> line.contains(token)
                    || (signature.length() > 20 && line.contains(signature)));
        }
    }

    @Test
    void aTokenOfTheIssuerPasses() {
        call(TestIssuer.token(TestIssuer.KEY_1)).statusCode(200).body("service", equalTo("service-commons-test"));
    }

    @Test
    void aTokenJustPastItsExpiryPassesWithinTheClockSkew() {
        call(TestIssuer.token(TestIssuer.KEY_1, claims -> {
            claims.setIssuedAt(secondsFromNow(-300));
            claims.setExpirationTime(secondsFromNow(-10));
        })).statusCode(200);
    }

    @Test
    void missingCredentialIsRefusedWithAProblem() {
        refused(given().when().get("/internal/service").then());
    }

    @Test
    void theSharedSecretIsRefused() {
        refused(call("local-service-secret"));
    }

    @Test
    void anExpiredTokenIsRefused() {
        refused(call(TestIssuer.token(TestIssuer.KEY_1, claims -> {
            claims.setIssuedAt(secondsFromNow(-900));
            claims.setExpirationTime(secondsFromNow(-600));
        })));
    }

    @Test
    void aTokenWithoutExpiryIsRefused() {
        refused(call(TestIssuer.token(TestIssuer.KEY_1, claims -> claims.unsetClaim("exp"))));
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() {
        refused(call(TestIssuer.token(TestIssuer.KEY_1,
                claims -> claims.setIssuer("https://login.example.org/realms/healthmesh"))));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        refused(call(TestIssuer.token(TestIssuer.KEY_1, claims -> claims.setAudience("account", "another-api"))));
        refused(call(TestIssuer.token(TestIssuer.KEY_1, claims -> claims.unsetClaim("aud"))));
    }

    @Test
    void aTokenWithoutTheRequiredScopeIsRefused() {
        refused(call(TestIssuer.token(TestIssuer.KEY_1, claims -> claims.setClaim("scope", "profile email"))));
        // The scope must be a whole entry, not a prefix of one.
        refused(call(TestIssuer.token(TestIssuer.KEY_1,
                claims -> claims.setClaim("scope", TestIssuer.SCOPE + ".admin"))));
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        // Same kid as the issuer's key, other key material.
        refused(call(TestIssuer.token(TestIssuer.FOREIGN)));
    }

    @Test
    void unsignedAndHmacTokensAreRefused() {
        refused(call(TestIssuer.unsignedToken()));
        refused(call(TestIssuer.hmacWithPublicKey()));
    }

    @Test
    void somethingThatIsNotAJwtIsRefused() {
        refused(call("not-a-jwt"));
        refused(call("a.b.c"));
    }

    @Test
    void aRotatedKeyIsPickedUp() {
        // A key of its own, so that no earlier test can have made the service hold it already.
        RsaJsonWebKey next = TestIssuer.newKey("key-" + System.nanoTime());
        String rotated = TestIssuer.token(next);
        int fetchesBefore = TestIssuer.keyFetches();
        TestIssuer.publishKeys(TestIssuer.KEY_1, next);
        // An unknown kid fetches the keys again (at most once per jwks-min-refresh-interval, 1 s here).
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                call(rotated).statusCode(200));
        assertThat(TestIssuer.keyFetches()).isGreaterThan(fetchesBefore);
        call(TestIssuer.token(TestIssuer.KEY_1)).statusCode(200);
    }

    @Test
    void unknownKeyIdsDoNotMakeTheServiceHammerTheIssuer() {
        // An unknown kid fetches the keys once the 1 s interval since the last fetch has passed.
        int fetchesAtStart = TestIssuer.keyFetches();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            refused(call(TestIssuer.token(TestIssuer.FOREIGN, "made-up-first", claims -> {
            })));
            return TestIssuer.keyFetches() > fetchesAtStart;
        });
        int fetchesBefore = TestIssuer.keyFetches();
        for (int i = 0; i < 6; i++) {
            refused(call(TestIssuer.token(TestIssuer.FOREIGN, "made-up-" + i, claims -> {
            })));
        }
        // None within the 1 s interval (one if the loop crossed it).
        assertThat(TestIssuer.keyFetches() - fetchesBefore).isBetween(0, 1);
    }

    @Test
    void whenTheIssuerCannotBeReachedTheKeysHeldStillServe() {
        call(TestIssuer.token(TestIssuer.KEY_1)).statusCode(200);
        TestIssuer.keysFail(503);
        try {
            // A kid that is not held cannot be checked once a fetch is due and fails: 503, not a
            // verdict on the token.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    call(TestIssuer.token(TestIssuer.FOREIGN, "key-3", claims -> {
                    })).statusCode(503)
                            .contentType("application/problem+json")
                            .header("Retry-After", "5")
                            .body("type", equalTo("urn:healthmesh:problem:unavailable")));
            call(TestIssuer.token(TestIssuer.KEY_1)).statusCode(200);
        } finally {
            TestIssuer.publishKeys(TestIssuer.KEY_1);
        }
    }

    @Test
    void outgoingCallsCarryAClientCredentialsTokenReusedUntilShortlyBeforeItExpires() {
        String granted = TestIssuer.token(TestIssuer.KEY_1);
        tokens.add(granted);
        // expires_in 4 s: shorter than twice the 30 s margin, so it is replaced at half its life (about 2 s).
        TestIssuer.grants(granted, 4);
        TestIssuer.server().stubFor(get(urlPathEqualTo("/internal/users/u1/policy"))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + granted))
                .willReturn(WireMock.okJson("{\"userId\":\"u1\",\"version\":3}")));
        int requestsBefore = TestIssuer.tokenRequests();

        Policy first = preferences.policy("u1").await().atMost(Duration.ofSeconds(10));
        Policy second = preferences.policy("u1").await().atMost(Duration.ofSeconds(10));

        assertThat(first.version()).isEqualTo(3);
        assertThat(second.version()).isEqualTo(3);
        assertThat(TestIssuer.tokenRequests() - requestsBefore).as("token requests for two calls").isEqualTo(1);
        // The same credential for a request built by hand, and this service's own filter accepts it.
        String authorization = credentials.authorization().await().atMost(Duration.ofSeconds(10));
        assertThat(authorization).isEqualTo("Bearer " + granted);
        given().header("Authorization", authorization).when().get("/internal/service").then().statusCode(200);
        assertThat(TestIssuer.tokenRequests() - requestsBefore).isEqualTo(1);

        // Past half its life (about 2 s) the next call asks for a new token: one more request, not one per call.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            preferences.policy("u1").await().atMost(Duration.ofSeconds(10));
            assertThat(TestIssuer.tokenRequests() - requestsBefore).as("token requests after half its life")
                    .isEqualTo(2);
        });
    }

    private ValidatableResponse call(String bearer) {
        tokens.add(bearer);
        return given().header("Authorization", "Bearer " + bearer).when().get("/internal/service").then();
    }

    private static void refused(ValidatableResponse response) {
        response.statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("urn:healthmesh:problem:unauthorized"))
                .body("status", equalTo(401));
    }

    private static NumericDate secondsFromNow(long seconds) {
        NumericDate date = NumericDate.now();
        date.addSeconds(seconds);
        return date;
    }

    /** Every log line of the service while the tests run, at every enabled level. */
    private static final class Logs extends Handler {

        private final Queue<String> lines = new ConcurrentLinkedQueue<>();
        private volatile boolean installed;

        Logs() {
            setLevel(Level.ALL);
        }

        synchronized void install() {
            if (!installed) {
                LogContext.getLogContext().getLogger("").addHandler(this);
                installed = true;
            }
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            StringBuilder line = new StringBuilder(String.valueOf(message));
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    line.append(" | ").append(parameter);
                }
            }
            for (Throwable thrown = record.getThrown(); thrown != null; thrown = thrown.getCause()) {
                line.append(" | ").append(thrown);
            }
            lines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
