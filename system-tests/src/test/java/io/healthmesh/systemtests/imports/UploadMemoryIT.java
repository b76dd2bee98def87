package io.healthmesh.systemtests.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.systemtests.harness.Harness;
import io.healthmesh.systemtests.harness.ServiceModule;
import io.healthmesh.testsupport.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads several times larger than the heap: the packaged file-import-service runs with
 * {@code -Xmx96m} and takes a ~400 MB export.xml, as the raw request body and as a multipart form,
 * both sent by Java's {@link HttpClient} with its defaults (it asks for a cleartext HTTP/2 upgrade,
 * which made the HTTP layer aggregate the whole body in the heap). Each upload is stored, parsed and
 * published by that small-heap process and its job ends done with exact counts; the process never
 * runs out of memory (it would exit: {@code -XX:+ExitOnOutOfMemoryError}).
 */
class UploadMemoryIT {

    private static final String HEAP = "-Xmx96m";
    private static final long TARGET_BYTES = 400L * 1000 * 1000;
    private static final int READINGS = 2_000;

    private static Harness harness;
    private static ServiceProcess importer;
    private static Path export;
    private static long fillers;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    static Path files;

    @BeforeAll
    static void start() throws IOException {
        harness = Harness.get();
        harness.start(ServiceModule.PREFERENCES, ServiceModule.NORMALIZER);
        importer = harness.startWith(ServiceModule.FILE_IMPORT, Map.of(),
                List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"));
        export = files.resolve("export.xml");
        fillers = LargeExport.write(export, TARGET_BYTES, READINGS);
        assertThat(Files.size(export)).isGreaterThan(4 * 96L * 1024 * 1024);
    }

    @AfterAll
    static void stop() {
        // Later tests get a file-import-service with the harness's defaults.
        harness.stop(ServiceModule.FILE_IMPORT);
    }

    @Test
    void anExportFourTimesTheHeapIsImportedAsTheRawBody() throws Exception {
        String user = "big-raw-" + UUID.randomUUID();
        HttpResponse<String> answer = http.send(request(user)
                .header("Content-Type", "application/xml")
                .header("X-File-Name", "export.xml")
                .POST(HttpRequest.BodyPublishers.ofFile(export)).build(), HttpResponse.BodyHandlers.ofString());

        assertImported(user, answer);
    }

    @Test
    void anExportFourTimesTheHeapIsImportedAsAMultipartForm() throws Exception {
        String user = "big-form-" + UUID.randomUUID();
        String boundary = "it-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.xml\""
                + "\r\nContent-Type: application/xml\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer = http.send(request(user)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(export), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertImported(user, answer);
    }

    private void assertImported(String user, HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        String id = json.readTree(answer.body()).path("id").asText();
        JsonNode done = awaitDone(user, id);
        assertThat(done.path("progress").path("totalBytes").asLong()).isEqualTo(Files.size(export));
        assertThat(done.path("progress").path("bytesRead").asLong()).isEqualTo(Files.size(export));
        assertThat(done.path("progress").path("published").asLong()).isEqualTo(READINGS);
        assertThat(done.path("progress").path("skipped").path("unmapped type: " + LargeExport.FILLER_TYPE).asLong())
                .isEqualTo(fillers);
        assertThat(done.path("normalizer").path("accepted").asLong()).isEqualTo(READINGS);
        assertThat(importer.isAlive()).as("the -Xmx96m service is still running").isTrue();
        assertThat(Files.readString(importer.logFile())).doesNotContain("OutOfMemoryError");
    }

    private HttpRequest.Builder request(String user) {
        return HttpRequest.newBuilder(URI.create(importer.baseUrl() + "/internal/users/" + user
                        + "/imports/apple-health"))
                .header("Authorization", harness.bearer())
                .timeout(Duration.ofMinutes(5));
    }

    private JsonNode awaitDone(String user, String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            assertThat(importer.isAlive()).as("the -Xmx96m service is still running").isTrue();
            HttpResponse<String> view = http.send(HttpRequest.newBuilder(URI.create(importer.baseUrl()
                            + "/internal/users/" + user + "/imports/" + id)).header("Authorization", harness.bearer())
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            last[0] = json.readTree(view.body());
            String state = last[0].path("state").asText();
            assertThat(state).as("job %s: %s", id, view.body()).isNotIn("failed", "cancelled");
            return "done".equals(state);
        });
        return last[0];
    }
}
