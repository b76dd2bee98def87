package io.healthmesh.systemtests.imports;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.systemtests.harness.Harness;
import io.healthmesh.systemtests.harness.ServiceModule;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CSV imports through the real services: upload -> preview in the user's home zone -> the
 * suggested mapping posted unchanged -> raw events -> normalizer -> rows; the job done only once
 * the normalizer judged every event. Two meals of one date sum to the day; a re-import adds nothing.
 */
class CsvImportIT {

    private static final String NUTRITION = """
            \uFEFFDate,Meal,Calories,Fat (g),Saturated Fat,Polyunsaturated Fat,Monounsaturated Fat,Trans Fat,Cholesterol,\
            Sodium (mg),Potassium,Carbohydrates (g),Fiber,Sugar,Protein (g),Vitamin A,Vitamin C,Calcium,Iron,Note\r
            2025-03-06,Breakfast,412.0,17.2,6.1,1.9,6.8,0.0,215.0,480.0,390.0,38.5,3.0,9.4,24.1,12.0,4.0,15.0,18.0,\r
            2025-03-06,Lunch,655.0,22.0,7.0,3.1,9.9,0.2,85.0,1210.0,720.0,71.0,8.2,6.5,41.0,30.0,45.0,12.0,25.0,"two
            lines, and a comma"\r
            2025-03-07,Breakfast,,,,,,,,,,,,,,,,,,\r
            2025-03-07,Dinner,780.5,30.0,9.0,2.0,8.0,0.0,120.0,900.0,650.0,80.0,6.0,12.0,45.0,10.0,10.0,10.0,10.0,\r
            """;

    private static final String BIOMETRICS = """
            Day,Time,Group,Metric,Unit,Amount
            2025-03-06,,Uncategorized,"Sleep (Garmin)",hours,7.21667
            2025-03-06,7:05 AM,Morning,"Weight",kg,71.4
            2025-03-06,7:05 AM,Morning,"Weight",kg,71.6
            2025-03-06,8:30 AM,Morning,"Heart Rate (Garmin)",bpm,oops
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Harness harness;

    @BeforeAll
    static void start() {
        harness = Harness.get();
        harness.start(ServiceModule.PREFERENCES, ServiceModule.NORMALIZER, ServiceModule.FILE_IMPORT);
    }

    private static RequestSpecification call(ServiceModule service) {
        return given().baseUri(harness.process(service).baseUrl()).header("Authorization", harness.bearer());
    }

    private static JsonPath upload(String user, String csv) {
        return call(ServiceModule.FILE_IMPORT).contentType("text/csv").header("X-File-Name", "export.csv")
                .body(csv.getBytes(StandardCharsets.UTF_8))
                .when().post("/internal/users/{u}/imports/csv", user)
                .then().statusCode(202)
                .body("state", equalTo("awaiting_mapping"))
                .extract().jsonPath();
    }

    /** Posts the job's suggested mapping exactly as the service answered it. */
    private static void acceptSuggestion(String user, String id) throws Exception {
        String job = call(ServiceModule.FILE_IMPORT).when().get("/internal/users/{u}/imports/{id}", user, id)
                .then().statusCode(200).extract().asString();
        JsonNode suggested = JSON.readTree(job).get("suggestedMapping");
        assertThat(suggested).as("suggestedMapping of %s", job).isNotNull();
        call(ServiceModule.FILE_IMPORT).contentType(ContentType.JSON).body(JSON.writeValueAsString(suggested))
                .when().post("/internal/users/{u}/imports/{id}/mapping", user, id)
                .then().statusCode(202)
                .body("state", equalTo("queued"));
    }

    private static JsonPath job(String user, String id) {
        return call(ServiceModule.FILE_IMPORT).when().get("/internal/users/{u}/imports/{id}", user, id)
                .then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitDone(String user, String id) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String state = job(user, id).getString("state");
            assertThat(state).as("job %s", id).isNotIn("failed", "cancelled");
            return "done".equals(state);
        });
        return job(user, id);
    }

    @Test
    void aNutritionDiaryIsImportedInTheHomeZoneAndAReimportAddsNothing() throws Exception {
        String user = "csv-" + UUID.randomUUID();
        call(ServiceModule.PREFERENCES).contentType(ContentType.JSON).body("{\"zone\": \"Europe/Berlin\"}")
                .when().put("/internal/users/{u}/preferences/home-zone", user)
                .then().statusCode(200);

        JsonPath uploaded = upload(user, NUTRITION);
        assertThat(uploaded.getString("preview.zone")).isEqualTo("Europe/Berlin");
        assertThat(uploaded.getString("suggestedMapping.zone")).isEqualTo("Europe/Berlin");
        String id = uploaded.getString("id");
        acceptSuggestion(user, id);
        JsonPath done = awaitDone(user, id);
        long published = done.getLong("progress.published");
        // 3 meals with 10 mapped nutrients each; the blank breakfast of 03-07 is "not tracked", not a reading.
        assertThat(published).isEqualTo(30);
        assertThat(done.getLong("normalizer.accepted")).isEqualTo(published);
        assertThat(done.getLong("normalizer.rejected")).isZero();
        assertThat(harness.metricRows(user)).isEqualTo(published);

        call(ServiceModule.NORMALIZER)
                .when().get("/internal/users/{u}/metrics/dietary_energy?from=2025-03-06&to=2025-03-07&granularity=day",
                        user)
                .then().statusCode(200)
                .body("points", hasSize(2))
                .body("points[0].start", equalTo("2025-03-06T00:00:00+01:00"))
                .body("points[0].value", equalTo(1067.0f))
                .body("points[0].source", equalTo("myfitnesspal"))
                .body("points[1].value", equalTo(780.5f));

        String again = upload(user, NUTRITION).getString("id");
        acceptSuggestion(user, again);
        JsonPath second = awaitDone(user, again);
        assertThat(second.getLong("normalizer.accepted")).isEqualTo(published);
        assertThat(harness.metricRows(user)).isEqualTo(published);
    }

    @Test
    void longFormatBiometricsKeepEqualRowsApartAndReportTheBadOne() throws Exception {
        String user = "csv-" + UUID.randomUUID();
        String id = upload(user, BIOMETRICS).getString("id");
        acceptSuggestion(user, id);
        JsonPath done = awaitDone(user, id);

        // Two weights at the same minute are two records; sleep comes from sessions, not from here.
        assertThat(done.getLong("progress.published")).isEqualTo(2);
        assertThat(harness.metricRows(user)).isEqualTo(2);
        assertThat(done.getList("errors", String.class)).anySatisfy(e -> assertThat(e).startsWith("row 5: "));
        call(ServiceModule.NORMALIZER)
                .when().get("/internal/users/{u}/metrics/body_mass?from=2025-03-06&to=2025-03-06&granularity=raw",
                        user)
                .then().statusCode(200)
                .body("points", hasSize(2))
                .body("points.source", everyItem(equalTo("cronometer")));
    }
}
