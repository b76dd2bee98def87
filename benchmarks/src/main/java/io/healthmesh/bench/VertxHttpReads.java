package io.healthmesh.bench;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The timed HTTP reads' client: Vert.x's (the event-loop client the SQL floor's PostgreSQL client
 * also runs on), keep-alive, one pooled connection per closed-loop client. The JDK's HttpClient
 * spent about 5 ms of CPU and 2.5 ms of latency receiving one 862 kB answer on this machine
 * (curl: 9.5 ms where it took 12), time that belongs to neither the service nor its floor.
 * The body is read to its end and counted, not gathered: gathering 862 kB cost the bench JVM
 * about as much CPU again as receiving it, on the two cores the service and PostgreSQL share.
 * What the answers hold is checked untimed (ReadBench's "What each read answers").
 */
final class VertxHttpReads implements AutoCloseable {

    /** A read's status, its body's length, and the body's first bytes (for an error's message). */
    record Answer(int status, long length, Buffer head) {
        String firstLine() {
            return head.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
        }
    }

    private static final int HEAD_BYTES = 2048;

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
            .setMaxPoolSize(64).setConnectTimeout(5_000));

    Answer get(String url, String bearer, Duration timeout) throws Exception {
        URI uri = URI.create(url);
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?"
                        + uri.getRawQuery())).putHeader("Authorization", "Bearer " + bearer)
                .setTimeout(timeout.toMillis());
        return client.request(request)
                .compose(r -> r.send().compose(response -> {
                    Promise<Answer> answer = Promise.promise();
                    Buffer head = Buffer.buffer();
                    long[] length = {0};
                    response.handler(chunk -> {
                        length[0] += chunk.length();
                        if (head.length() < HEAD_BYTES) {
                            head.appendBuffer(chunk, 0, Math.min(chunk.length(), HEAD_BYTES - head.length()));
                        }
                    });
                    response.exceptionHandler(answer::tryFail);
                    response.endHandler(end -> answer.tryComplete(new Answer(response.statusCode(), length[0], head)));
                    return answer.future();
                }))
                .toCompletionStage().toCompletableFuture().get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing at exit.
        }
    }
}
