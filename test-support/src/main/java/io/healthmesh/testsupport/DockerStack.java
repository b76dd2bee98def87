package io.healthmesh.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The optional Testcontainers path: with {@code HEALTHMESH_TEST_STACK=testcontainers} and a Docker
 * engine that really answers, tests run against PostgreSQL and Kafka containers (started once per
 * test JVM) instead of the local stack. The Docker-free local stack stays the default and is what
 * CI uses; these machines have a docker client but no engine.
 */
final class DockerStack {

    static final String SWITCH = "HEALTHMESH_TEST_STACK";
    private static final List<String> SERVICE_ROLES =
            List.of("gateway", "preferences", "normalizer", "imports", "withings", "oura");

    private static DockerStack instance;

    private final PostgreSQLContainer postgres;
    private final KafkaContainer kafka;

    private DockerStack() {
        postgres = new PostgreSQLContainer("postgres:15-alpine");
        kafka = new KafkaContainer("apache/kafka:4.1.0");
        postgres.start();
        kafka.start();
        createRolesDatabasesAndSchemas();
    }

    static boolean selected() {
        return "testcontainers".equalsIgnoreCase(System.getenv(SWITCH));
    }

    static synchronized DockerStack get() {
        if (instance == null) {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                throw new IllegalStateException(SWITCH + "=testcontainers, but no Docker engine answers here; "
                        + "unset it to use the local stack (deploy/local/stack.sh up)");
            }
            instance = new DockerStack();
        }
        return instance;
    }

    String pgHost() {
        return postgres.getHost();
    }

    int pgPort() {
        return postgres.getMappedPort(5432);
    }

    String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    /** The same roles, databases and schemas as deploy/local/stack.sh creates. */
    private void createRolesDatabasesAndSchemas() {
        String admin = LocalStack.ADMIN_ROLE;
        try (Connection db = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(),
                postgres.getPassword()); Statement sql = db.createStatement()) {
            sql.execute("CREATE ROLE " + admin + " LOGIN CREATEDB PASSWORD '" + admin + "'");
            for (String role : SERVICE_ROLES) {
                sql.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + role + "'");
                sql.execute("ALTER ROLE " + role + " SET search_path = " + role);
                sql.execute("GRANT " + role + " TO " + admin);
            }
            for (String database : List.of("healthmesh", LocalStack.TEST_DATABASE)) {
                sql.execute("CREATE DATABASE " + database + " OWNER " + admin);
                sql.execute("GRANT CONNECT, CREATE, TEMPORARY ON DATABASE " + database + " TO "
                        + String.join(", ", SERVICE_ROLES));
                createSchemas(database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare the PostgreSQL container", e);
        }
    }

    private void createSchemas(String database) throws SQLException {
        String url = "jdbc:postgresql://" + pgHost() + ":" + pgPort() + "/" + database;
        try (Connection db = DriverManager.getConnection(url, postgres.getUsername(), postgres.getPassword());
                Statement sql = db.createStatement()) {
            for (String role : SERVICE_ROLES) {
                sql.execute("CREATE SCHEMA IF NOT EXISTS " + role + " AUTHORIZATION " + role);
            }
        }
    }
}
