package io.healthmesh.gateway.client;

import io.healthmesh.commons.security.ServiceCredentials;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * Forwards a request to an internal service as bytes: an upload streamed from the client's
 * connection to file-import without holding it (the REST client would buffer multipart parts), and
 * provider webhooks and callbacks exactly as the provider sent them (body and headers untouched,
 * so the connector can verify the signature over the same bytes). Only the hop-by-hop headers are
 * dropped and the service credential is added.
 */
@ApplicationScoped
public class RawForwarder {

    /** Headers that belong to one connection (RFC 9110 7.6.1) or that the client computes itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "http2-settings", "host", "content-length",
            "expect", "authorization", "proxy-authorization");

    private final Config config;
    private final ServiceCredentials credential;
    // HTTP/1.1: a cleartext HTTP/2 upgrade makes the server hold the whole body before answering.
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public RawForwarder(Config config, ServiceCredentials credential) {
        this.config = config;
        this.credential = credential;
    }

    /**
     * Sends {@code method} to {@code pathAndQuery} of {@code service} with the given headers and
     * body ({@code null} for none; a stream is read as the service takes it, {@code length} bytes
     * if known, else -1), and answers the service's response.
     */
    public Uni<Response> forward(InternalService service, String method, String pathAndQuery,
            MultivaluedMap<String, String> headers, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(InternalUrls.of(config, service) + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                for (String value : header.getValue()) {
                    request.header(header.getKey(), value);
                }
            }
        }
        return credential.authorization()
                .chain(authorization -> Uni.createFrom().completionStage(() -> http.sendAsync(
                        request.header(HttpHeaders.AUTHORIZATION, authorization).build(),
                        HttpResponse.BodyHandlers.ofByteArray())))
                .map(RawForwarder::toResponse);
    }

    /**
     * A body read from {@code stream} as the service takes it; {@code length} < 0 when unknown
     * (chunked). An empty body is sent as one ({@code Content-Length: 0}): the JDK refuses a
     * streaming publisher of length 0, and the service, not a 502, is to say what an empty upload is.
     */
    public static HttpRequest.BodyPublisher streaming(InputStream stream, long length) {
        if (length == 0) {
            return HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofInputStream(() -> stream);
        return length < 0 ? publisher : HttpRequest.BodyPublishers.fromPublisher(publisher, length);
    }

    private static Response toResponse(HttpResponse<byte[]> answer) {
        Response.ResponseBuilder response = Response.status(answer.statusCode());
        for (String header : Downstream.RELAYED_HEADERS) {
            answer.headers().firstValue(header).ifPresent(value -> response.header(header, value));
        }
        if (answer.body() != null && answer.body().length > 0) {
            response.entity(answer.body());
        }
        return response.build();
    }
}
