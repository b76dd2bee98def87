package io.healthmesh.connector.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * A standard OAuth2 provider on WireMock (dynamic port), shared by the tests of the JVM: started on
 * first use, stopped when the JVM ends. Paths follow Oura (shared/refs/oura-api.md section 2):
 * {@code /oauth/authorize}, {@code /oauth/token}, {@code /oauth/revoke}, and the user lookup
 * {@code /v2/usercollection/personal_info}.
 */
public final class StandardOAuthServer {

    public static final String AUTHORIZE_PATH = "/oauth/authorize";
    public static final String TOKEN_PATH = "/oauth/token";
    public static final String REVOKE_PATH = "/oauth/revoke";
    public static final String PERSONAL_INFO_PATH = "/v2/usercollection/personal_info";

    public static final String CLIENT_ID = "standard-client-id";
    public static final String CLIENT_SECRET = "st4ndard-client-secret-0123456789abcdef";

    private static WireMockServer server;

    private StandardOAuthServer() {
    }

    public static synchronized WireMockServer server() {
        if (server == null) {
            WireMockServer started = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                    .bindAddress("127.0.0.1"));
            started.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
            server = started;
        }
        return server;
    }

    public static String url(String path) {
        return "http://127.0.0.1:" + server().port() + path;
    }

    public static MappingBuilder tokenRequest(String grantType) {
        return post(urlPathEqualTo(TOKEN_PATH)).withFormParam("grant_type", equalTo(grantType));
    }

    public static MappingBuilder personalInfo(String accessToken) {
        return get(urlPathEqualTo(PERSONAL_INFO_PATH)).withHeader("Authorization", equalTo("Bearer " + accessToken));
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** A token answer as Oura writes it; a null refresh token or expiresIn leaves the field out. */
    public static ResponseDefinitionBuilder tokens(String accessToken, String refreshToken, Long expiresIn,
            String scope) {
        StringBuilder body = new StringBuilder("{\"token_type\":\"bearer\",\"access_token\":\"").append(accessToken)
                .append('"');
        if (refreshToken != null) {
            body.append(",\"refresh_token\":\"").append(refreshToken).append('"');
        }
        if (expiresIn != null) {
            body.append(",\"expires_in\":").append(expiresIn);
        }
        if (scope != null) {
            body.append(",\"scope\":\"").append(scope).append('"');
        }
        return json(200, body.append('}').toString());
    }

    /** An RFC 6749 section 5.2 error answer. */
    public static ResponseDefinitionBuilder oauthError(int status, String error, String description) {
        return json(status, "{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
    }
}
