package io.healthmesh.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import io.healthmesh.systemtests.harness.Harness;
import io.healthmesh.systemtests.harness.ServiceModule;
import io.healthmesh.testsupport.ServiceProcess;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Smoke test of the skeleton: all six packaged services start against the real stack and are ready. */
class AllServicesStartIT {

    private static List<ServiceProcess> services;

    @BeforeAll
    static void startEverything() {
        services = Harness.get().start(ServiceModule.values());
    }

    @Test
    void everyServiceIsReadyWithDatabaseAndKafkaChecks() {
        for (ServiceProcess service : services) {
            given().baseUri(service.baseUrl())
                    .when().get("/q/health/ready")
                    .then().statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.name", hasItems(
                            "Reactive PostgreSQL connections health check",
                            "Kafka connection health check"));
        }
    }

    @Test
    void everyServicePublishesItsOpenApi() {
        for (ServiceProcess service : services) {
            given().baseUri(service.baseUrl()).accept("application/json")
                    .when().get("/q/openapi")
                    .then().statusCode(200)
                    .body("openapi", startsWith("3."));
        }
    }

    @Test
    void internalRoutesAnswerOnlyTheServiceCredential() {
        Harness harness = Harness.get();
        for (ServiceProcess service : services) {
            given().baseUri(service.baseUrl())
                    .when().get("/internal/service")
                    .then().statusCode(401)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:healthmesh:problem:unauthorized"));
            given().baseUri(service.baseUrl()).header("Authorization", "Bearer wrong-" + harness.serviceSecret())
                    .when().get("/internal/service")
                    .then().statusCode(401);
            given().baseUri(service.baseUrl()).header("Authorization", harness.bearer())
                    .when().get("/internal/service")
                    .then().statusCode(200)
                    .body("service", equalTo(service.name()));
        }
    }

    @Test
    void everyServiceOwnsItsSchemaThroughFlyway() throws Exception {
        try (Connection db = Harness.get().db();
                PreparedStatement query = db.prepareStatement(
                        "select count(*) from information_schema.tables where table_schema = ? and table_name = 'flyway_schema_history'")) {
            for (ServiceModule service : ServiceModule.values()) {
                query.setString(1, service.dbRole());
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    assertThat(rows.getInt(1)).as("Flyway history in schema %s", service.dbRole()).isEqualTo(1);
                }
            }
        }
    }
}
