package io.healthmesh.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.healthmesh.gateway.security.TestTokens;
import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RealStackResource.class)
class BodyLimitFilterTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void jsonBodyOverItsLimitIs413BeforeItIsRead() throws Exception {
        // Announces 10 MB but sends nothing: the answer must come from the announced length alone.
        String answer = rawRequest("PUT /api/v1/me/preferences/activity HTTP/1.1\r\n"
                + "Host: localhost\r\nAuthorization: " + TestTokens.bearer("alice") + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: 10485760\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 413")
                .contains("application/problem+json").contains("payload-too-large");
    }

    @Test
    void uploadOverTheUploadLimitIs413() throws Exception {
        String answer = rawRequest("POST /api/v1/imports/apple-health HTTP/1.1\r\n"
                + "Host: localhost\r\nAuthorization: " + TestTokens.bearer("alice") + "\r\n"
                + "Content-Type: application/zip\r\nContent-Length: 9000000000\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 413").contains("payload-too-large");
    }

    @Test
    void chunkedJsonIs411() throws Exception {
        String answer = rawRequest("PUT /api/v1/me/preferences/activity HTTP/1.1\r\n"
                + "Host: localhost\r\nAuthorization: " + TestTokens.bearer("alice") + "\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\n{}\r\n0\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 411").contains("length-required");
    }

    @Test
    void smallJsonPassesTheFilter() {
        // Within the limit: on to the (absent) preferences-service.
        given().header("Authorization", TestTokens.bearer("alice")).contentType("application/json")
                .body("{\"sources\": [\"oura\"]}")
                .when().put("/api/v1/me/preferences/activity")
                .then().statusCode(503).body("type", equalTo("urn:healthmesh:problem:service-unavailable"));
    }

    /** Writes a raw HTTP/1.1 request and answers the response head (what REST clients would not send). */
    private String rawRequest(String request) throws Exception {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            StringBuilder answer = new StringBuilder();
            int read;
            while (!answer.toString().contains("\r\n\r\n") || !answer.toString().contains("}")) {
                read = in.read(buffer);
                if (read < 0) {
                    break;
                }
                answer.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
            return answer.toString();
        }
    }
}
