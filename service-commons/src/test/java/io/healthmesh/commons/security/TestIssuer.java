package io.healthmesh.commons.security;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.util.Arrays;
import java.util.function.Consumer;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * An OIDC issuer on WireMock (dynamic port, loopback), shared by the tests of the JVM: discovery
 * document, key set and client-credentials token endpoint at Keycloak's paths, and the keys to
 * sign tokens with. Started on first use, stopped when the JVM ends.
 */
public final class TestIssuer {

    public static final String REALM_PATH = "/realms/healthmesh";
    public static final String DISCOVERY_PATH = REALM_PATH + "/.well-known/openid-configuration";
    public static final String JWKS_PATH = REALM_PATH + "/protocol/openid-connect/certs";
    public static final String TOKEN_PATH = REALM_PATH + "/protocol/openid-connect/token";

    public static final String AUDIENCE = "healthmesh-internal";
    public static final String SCOPE = "healthmesh.internal";
    public static final String CLIENT_ID = "normalizer-service";
    public static final String CLIENT_SECRET = "cl1ent-secret-of-the-normalizer-0123456789";

    /** The issuer's signing key. */
    public static final RsaJsonWebKey KEY_1 = newKey("key-1");
    /** A key the issuer never published, under the same key id as its own. */
    public static final RsaJsonWebKey FOREIGN = newKey("key-1");

    private static WireMockServer server;

    private TestIssuer() {
    }

    public static synchronized WireMockServer server() {
        if (server == null) {
            WireMockServer started = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                    .bindAddress("127.0.0.1"));
            started.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
            server = started;
            publishDiscovery();
            publishKeys(KEY_1);
        }
        return server;
    }

    public static String baseUrl() {
        return "http://127.0.0.1:" + server().port();
    }

    public static String issuer() {
        return baseUrl() + REALM_PATH;
    }

    public static void publishDiscovery() {
        server().stubFor(get(urlPathEqualTo(DISCOVERY_PATH)).willReturn(json(200, "{\"issuer\":\"" + issuer()
                + "\",\"jwks_uri\":\"" + baseUrl() + JWKS_PATH + "\",\"token_endpoint\":\"" + baseUrl() + TOKEN_PATH
                + "\"}")));
    }

    /** The key set answers these keys' public halves from now on. */
    public static void publishKeys(RsaJsonWebKey... keys) {
        String body = new JsonWebKeySet(Arrays.asList(keys)).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        server().stubFor(get(urlPathEqualTo(JWKS_PATH)).willReturn(json(200, body)));
    }

    public static void keysFail(int status) {
        server().stubFor(get(urlPathEqualTo(JWKS_PATH)).willReturn(aResponse().withStatus(status)));
    }

    /** The token endpoint grants {@code accessToken} to this client (client_secret_basic), valid for expiresIn s. */
    public static void grants(String accessToken, long expiresIn) {
        server().stubFor(post(urlPathEqualTo(TOKEN_PATH))
                .withBasicAuth(CLIENT_ID, CLIENT_SECRET)
                .withFormParam("grant_type", equalTo("client_credentials"))
                .withFormParam("scope", equalTo(SCOPE))
                .willReturn(json(200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\","
                        + "\"expires_in\":" + expiresIn + ",\"scope\":\"" + SCOPE + "\"}")));
    }

    public static int keyFetches() {
        return server().countRequestsMatching(getRequestedFor(urlPathEqualTo(JWKS_PATH)).build()).getCount();
    }

    public static int tokenRequests() {
        return server().countRequestsMatching(postRequestedFor(urlPathEqualTo(TOKEN_PATH)).build()).getCount();
    }

    /** A token as the issuer makes them for a service: RS256, kid of the key, iss, aud, scope, 5 minutes. */
    public static String token(RsaJsonWebKey key) {
        return token(key, claims -> {
        });
    }

    public static String token(RsaJsonWebKey key, Consumer<JwtClaims> change) {
        return token(key, key.getKeyId(), change);
    }

    /** Signed with {@code key} but naming {@code keyId} (null: no kid header). */
    public static String token(RsaJsonWebKey key, String keyId, Consumer<JwtClaims> change) {
        JwtClaims claims = claims();
        change.accept(claims);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        if (keyId != null) {
            jws.setKeyIdHeaderValue(keyId);
        }
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return serialize(jws);
    }

    /** An unsigned token ({@code alg: none}) with the right claims and the issuer's kid. */
    public static String unsignedToken() {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims().toJson());
        jws.setKeyIdHeaderValue(KEY_1.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        return serialize(jws);
    }

    /** HS256 "signed" with the issuer's public key as the HMAC secret (the algorithm confusion attack). */
    public static String hmacWithPublicKey() {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims().toJson());
        jws.setKey(new HmacKey(KEY_1.getPublicKey().getEncoded()));
        jws.setKeyIdHeaderValue(KEY_1.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        return serialize(jws);
    }

    public static JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer());
        claims.setAudience(AUDIENCE, "account");
        claims.setSubject("service-account-" + CLIENT_ID);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        claims.setClaim("azp", CLIENT_ID);
        claims.setClaim("scope", "profile " + SCOPE + " email");
        return claims;
    }

    private static String serialize(JsonWebSignature jws) {
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new RSA signing key (RS256) with this key id. */
    public static RsaJsonWebKey newKey(String keyId) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(keyId);
            key.setUse("sig");
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }
}
