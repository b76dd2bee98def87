package io.healthmesh.normalizer.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.normalizer.Db;
import io.healthmesh.normalizer.FixedPolicySource;
import io.healthmesh.normalizer.service.UserDataReadService;
import io.healthmesh.testsupport.LocalStack;
import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Raw reads of more rows than one hand-over batch: the connection's event loop decodes them and a
 * worker thread folds and renders them, batch after batch. The points must come in the rows' order,
 * every one of them, and the answer must be the bytes Jackson writes; a second read renders into
 * the chunks the first one gave back.
 */
@QuarkusTest
@TestProfile(LargeRawReadTest.LargeRawReads.class)
@WithTestResource(RealStackResource.class)
class LargeRawReadTest {

    /** Room for the rows below (the test profile's default cap is 100). */
    public static class LargeRawReads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("healthmesh.read.max-points", "5000", "mp.messaging.incoming.raw-events.enabled", "false");
        }
    }

    private static final Instant FROM = Instant.parse("2024-05-01T00:00:00Z");
    private static final int MINUTES = 1_500;

    @Inject
    UserDataReadService reads;

    @Inject
    ObjectMapper mapper;

    private String user;

    /**
     * Two sources every minute for 25 hours in two offsets, and one reading of three hours that
     * starts before the range (it comes from the query of long readings, ahead of the others).
     */
    @BeforeEach
    void insertRows() throws SQLException {
        user = "large-raw-" + UUID.randomUUID();
        try (Connection connection = LocalStack.openAdminConnection(); PreparedStatement insert =
                connection.prepareStatement("""
                        INSERT INTO normalizer.unified_metric (user_id, source, source_record_id, metric, category, value,
                            unit, original_value, original_unit, aggregation, start_time, end_time, utc_offset,
                            local_date, zone, device, app, quality, quality_reasons, event_id, occurred_at)
                        VALUES (?, ?, ?, 'heart_rate', 'heart', ?, 'count/min', ?, 'count/min', 'sample', ?, ?, ?,
                            ?, NULL, ?, NULL, 0.9, '[]'::jsonb, ?, now())
                        """)) {
            add(insert, "oura", "long", 58, FROM.minus(Duration.ofHours(2)), FROM.plus(Duration.ofHours(1)), 0,
                    "Oura Ring Gen3");
            for (int minute = 0; minute < MINUTES; minute++) {
                Instant start = FROM.plus(Duration.ofMinutes(minute));
                int offset = minute < MINUTES / 2 ? 7_200 : -18_000;
                add(insert, "oura", "o" + minute, 50 + minute % 70, start, start.plusSeconds(60), offset,
                        "Oura Ring Gen3");
                add(insert, "withings", "w" + minute, 60 + minute % 50 + 0.5, start, start, offset, "ScanWatch");
            }
            insert.executeBatch();
        }
    }

    private void add(PreparedStatement insert, String source, String id, double value, Instant start, Instant end,
            int offsetSeconds, String device) throws SQLException {
        insert.setString(1, user);
        insert.setString(2, source);
        insert.setString(3, id);
        insert.setDouble(4, value);
        insert.setDouble(5, value);
        insert.setObject(6, start.atOffset(ZoneOffset.UTC));
        insert.setObject(7, end.atOffset(ZoneOffset.UTC));
        insert.setInt(8, offsetSeconds);
        insert.setObject(9, start.atOffset(ZoneOffset.ofTotalSeconds(offsetSeconds)).toLocalDate());
        insert.setString(10, device);
        insert.setObject(11, UUID.randomUUID());
        insert.addBatch();
    }

    @AfterEach
    void deleteRows() {
        Db.deleteMetricRows(user);
    }

    @Test
    void everyRowBecomesItsPointInOrder() throws Exception {
        String to = FROM.plus(Duration.ofMinutes(MINUTES)).toString();
        String first = read(FROM.toString(), to, "all");

        JsonNode points = mapper.readTree(first).path("points");
        assertThat(points).hasSize(1 + 2 * MINUTES);
        assertThat(points.get(0).path("value").asDouble()).isEqualTo(58.0);
        assertThat(points.get(0).path("start").asText()).isEqualTo("2024-04-30T22:00:00Z");
        for (int minute = 0; minute < MINUTES; minute++) {
            JsonNode oura = points.get(1 + 2 * minute);
            JsonNode withings = points.get(2 + 2 * minute);
            String at = "minute " + minute;
            assertThat(oura.path("source").asText()).as(at).isEqualTo("oura");
            assertThat(oura.path("value").asDouble()).as(at).isEqualTo(50 + minute % 70);
            assertThat(withings.path("source").asText()).as(at).isEqualTo("withings");
            assertThat(withings.path("value").asDouble()).as(at).isEqualTo(60 + minute % 50 + 0.5);
            assertThat(withings.path("start").asText()).as(at).isEqualTo(expectedTime(minute));
        }
        assertThat(first).isEqualTo(jackson(FROM.toString(), to, "all"));
        // Rendered again into the chunks the first answer handed back: the same bytes.
        assertThat(read(FROM.toString(), to, "all")).isEqualTo(first);
    }

    @Test
    void theResolvedViewOfManyRowsIsWhatJacksonWrites() throws Exception {
        FixedPolicySource.set(new Policy(user, 1, "UTC", Map.of("heart", List.of("withings", "oura")), Map.of(),
                Map.of(), Set.of(), Map.of(), null));
        String to = FROM.plus(Duration.ofMinutes(MINUTES)).toString();
        String body = read(FROM.toString(), to, "resolved");

        JsonNode points = mapper.readTree(body).path("points");
        List<String> sources = new ArrayList<>();
        points.forEach(point -> sources.add(point.path("source").asText()));
        assertThat(sources).hasSize(MINUTES).containsOnly("withings");
        assertThat(body).isEqualTo(jackson(FROM.toString(), to, "resolved"));
    }

    /** {@code 2024-05-01T02:07:00+02:00}: the minute in its written offset, seconds shown. */
    private static String expectedTime(int minute) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(FROM.plus(Duration.ofMinutes(minute))
                .atOffset(ZoneOffset.ofTotalSeconds(minute < MINUTES / 2 ? 7_200 : -18_000)));
    }

    private String read(String from, String to, String view) {
        return given().header("Authorization", "Bearer local-service-secret").queryParam("from", from)
                .queryParam("to", to).queryParam("granularity", "raw").queryParam("view", view)
                .when().get("/internal/users/{u}/metrics/heart_rate", user)
                .then().statusCode(200).contentType("application/json").extract().asString();
    }

    private String jackson(String from, String to, String view) throws Exception {
        MetricSeries answer = reads.metric(user, "heart_rate", from, to, "raw", view)
                .await().atMost(Duration.ofSeconds(30));
        return new String(mapper.writeValueAsBytes(answer), StandardCharsets.UTF_8);
    }
}
