package io.healthmesh.systemtests.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A phone pushing readings to {@code POST /api/v1/readings} as a steady stream of batches, one
 * request at a time, each batch with its own Idempotency-Key, as a real client does: a batch that
 * is not acknowledged (a 5xx, a 409 for a key still in flight, no answer at all) is sent again,
 * same key and same bytes, until it gets its 202; only then comes the next batch. Every request is
 * recorded with its answer and how long it took.
 *
 * <p>Retries and the pace between batches are scheduled on an executor, never slept.
 */
final class PushStream implements AutoCloseable {

    /** One request: which batch, the status (-1: no answer), how long it took, and whether it was a retry. */
    record Attempt(int batch, int status, long millis, boolean retry) {
    }

    /** A batch the gateway acknowledged: its key, body, the reading ids it carried and the 202's body. */
    record Acknowledged(int batch, String key, String body, List<String> ids, String answer, Set<UUID> eventIds) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A real client would wait the 503's Retry-After (30 s); the test's client retries after a second,
     * so that the outage is crossed by many retries and the suite stays short. The gateway must cope
     * with eager clients anyway.
     */
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    /** Above the gateway's own 15 s publish bound, so a slow answer is measured, not cut short. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);
    private static final OffsetDateTime FIRST_READING = OffsetDateTime.parse("2024-03-01T00:00:00+01:00");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "push-stream");
        thread.setDaemon(true);
        return thread;
    });
    private final String url;
    private final String bearer;
    private final String name;
    private final int readingsPerBatch;
    private final Duration pace;
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final Map<Integer, Acknowledged> acknowledged = new ConcurrentHashMap<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;
    private volatile boolean finished;

    /**
     * @param name distinguishes this stream's reading ids and keys from other streams of the same user
     */
    PushStream(String gatewayUrl, String bearer, String name, int readingsPerBatch, Duration pace) {
        this.url = gatewayUrl + "/api/v1/readings";
        this.bearer = bearer;
        this.name = name;
        this.readingsPerBatch = readingsPerBatch;
        this.pace = pace;
    }

    PushStream start() {
        scheduler.execute(() -> send(batch(0), false));
        return this;
    }

    /** Sends no new batch after the one in flight is acknowledged; {@link #finished()} tells when that is. */
    void stop() {
        stopping = true;
    }

    boolean finished() {
        return finished;
    }

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    long answered(int status) {
        return attempts.stream().filter(a -> a.status() == status).count();
    }

    int acknowledgedBatches() {
        return acknowledged.size();
    }

    List<Acknowledged> acknowledged() {
        return acknowledged.values().stream().sorted((a, b) -> Integer.compare(a.batch(), b.batch())).toList();
    }

    /** Answers that no retry fixes (a 4xx other than 409): the stream stopped at them. */
    List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    /** Every reading id the gateway acknowledged with a 202. */
    Set<String> acknowledgedIds() {
        Set<String> ids = new HashSet<>();
        acknowledged.values().forEach(batch -> ids.addAll(batch.ids()));
        return ids;
    }

    Set<UUID> acknowledgedEventIds() {
        Set<UUID> ids = new HashSet<>();
        acknowledged.values().forEach(batch -> ids.addAll(batch.eventIds()));
        return ids;
    }

    /** Sends a batch again, as a client whose answer was lost would; the raw answer. */
    HttpResponse<String> replay(Acknowledged batch) throws IOException, InterruptedException {
        return http.send(request(batch.key(), batch.body()), HttpResponse.BodyHandlers.ofString());
    }

    private record Batch(int index, String key, String body, List<String> ids) {
    }

    private Batch batch(int index) {
        ObjectNode body = JSON.createObjectNode().put("source", "push");
        ArrayNode readings = body.putArray("readings");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < readingsPerBatch; i++) {
            long n = (long) index * readingsPerBatch + i;
            String id = name + "-" + n;
            String at = FIRST_READING.plusSeconds(30 * n).toString();
            readings.addObject().put("id", id).put("metric", "heart_rate").put("value", 50 + n % 90)
                    .put("unit", "count/min").put("start", at).put("end", at).put("device", "Fault Strap");
            ids.add(id);
        }
        return new Batch(index, name + "-batch-" + index, body.toString(), List.copyOf(ids));
    }

    private HttpRequest request(String key, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", bearer).header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private void send(Batch batch, boolean retry) {
        long started = System.nanoTime();
        int status;
        String answer = null;
        try {
            HttpResponse<String> response = http.send(request(batch.key(), batch.body()),
                    HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            answer = response.body();
        } catch (IOException e) {
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        attempts.add(new Attempt(batch.index(), status, (System.nanoTime() - started) / 1_000_000, retry));
        try {
            if (status == 202) {
                acknowledged.put(batch.index(), new Acknowledged(batch.index(), batch.key(), batch.body(), batch.ids(),
                        answer, eventIds(answer)));
                if (stopping) {
                    finished = true;
                } else {
                    scheduler.schedule(() -> send(batch(batch.index() + 1), false), pace.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            } else if (status == -1 || status == 409 || status >= 500) {
                scheduler.schedule(() -> send(batch, true), RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                unexpected.add("batch " + batch.index() + ": " + status + " " + answer);
                finished = true;
            }
        } catch (IOException e) {
            unexpected.add("batch " + batch.index() + ": unreadable 202 " + answer);
            finished = true;
        }
    }

    private static Set<UUID> eventIds(String answer) throws IOException {
        Set<UUID> ids = new HashSet<>();
        for (JsonNode id : JSON.readTree(answer).path("eventIds")) {
            ids.add(UUID.fromString(id.asText()));
        }
        return ids;
    }

    @Override
    public void close() {
        stopping = true;
        scheduler.shutdownNow();
    }
}
