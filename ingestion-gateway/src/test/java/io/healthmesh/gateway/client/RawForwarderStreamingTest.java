package io.healthmesh.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upload body the gateway streams on: its announced length is kept, and an empty upload
 * reaches the service as an empty body (the service answers what an empty file is) instead of
 * failing in the gateway, which the JDK's length-0 publisher would (a 502 for the client).
 */
class RawForwarderStreamingTest {

    private HttpServer service;
    private final List<String> received = new ArrayList<>();

    @BeforeEach
    void startService() throws IOException {
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/upload", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            synchronized (received) {
                received.add(exchange.getRequestHeaders().getFirst("Content-Length") + ":"
                        + new String(body, StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        service.start();
    }

    @AfterEach
    void stopService() {
        service.stop(0);
    }

    @Test
    void anEmptyUploadIsSentAsAnEmptyBody() throws Exception {
        HttpRequest.BodyPublisher empty = RawForwarder.streaming(InputStream.nullInputStream(), 0);

        assertEquals(0, empty.contentLength());
        assertEquals(204, post(empty).statusCode());
        assertEquals(List.of("0:"), received);
    }

    @Test
    void anAnnouncedLengthIsKeptAndAnUnknownOneStreamsChunked() throws Exception {
        HttpRequest.BodyPublisher announced = RawForwarder.streaming(stream("<HealthData/>"), 13);
        HttpRequest.BodyPublisher chunked = RawForwarder.streaming(stream("a,b\n1,2\n"), -1);

        assertEquals(13, announced.contentLength());
        assertEquals(-1, chunked.contentLength());
        post(announced);
        post(chunked);
        assertEquals(List.of("13:<HealthData/>", "null:a,b\n1,2\n"), received);
    }

    private HttpResponse<Void> post(HttpRequest.BodyPublisher body) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.getAddress().getPort() + "/upload"))
                        .POST(body).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
