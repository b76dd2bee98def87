package io.healthmesh.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where the real PostgreSQL and Kafka that tests use answer: the local stack
 * ({@code deploy/local/stack.sh up}; same environment variables and loopback defaults as the
 * services), or containers when {@code HEALTHMESH_TEST_STACK=testcontainers} (see {@link DockerStack}).
 */
public final class LocalStack {

    public static final String TEST_DATABASE = "healthmesh_test";
    /** The local-only admin role: owns the databases and is a member of every service role. */
    public static final String ADMIN_ROLE = "healthmesh";

    private LocalStack() {
    }

    public static String pgHost() {
        return DockerStack.selected() ? DockerStack.get().pgHost() : env("PGHOST", "127.0.0.1");
    }

    public static int pgPort() {
        return DockerStack.selected() ? DockerStack.get().pgPort() : Integer.parseInt(env("PGPORT", "5432"));
    }

    public static String kafkaBootstrapServers() {
        return DockerStack.selected() ? DockerStack.get().kafkaBootstrapServers()
                : env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    }

    public static String testJdbcUrl() {
        return "jdbc:postgresql://" + pgHost() + ":" + pgPort() + "/" + TEST_DATABASE;
    }

    /** A JDBC connection to the test database as the admin role, which can read every service schema. */
    public static Connection openAdminConnection() throws SQLException {
        return DriverManager.getConnection(testJdbcUrl(), ADMIN_ROLE, ADMIN_ROLE);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
