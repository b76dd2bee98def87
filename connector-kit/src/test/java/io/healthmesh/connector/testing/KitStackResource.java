package io.healthmesh.connector.testing;

import io.healthmesh.testsupport.LocalStack;
import io.healthmesh.testsupport.RealStackResource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The real stack for the kit's tests: the topics of {@link RealStackResource} under a fresh prefix,
 * and a fresh schema in healthmesh_test used through the admin role. A shared module has no
 * schema of its own; borrowing a connector's (withings) would put the kit's V900 into that
 * service's Flyway history, and other branches build the same module at the same time.
 */
public class KitStackResource extends RealStackResource {

    private static final SecureRandom RANDOM = new SecureRandom();

    private String schema;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        schema = "kit_" + Long.toHexString(RANDOM.nextLong() & 0xffffffffffL);
        config.put("healthmesh.db.role", schema);
        config.put("quarkus.datasource.username", LocalStack.ADMIN_ROLE);
        config.put("quarkus.datasource.password", LocalStack.ADMIN_ROLE);
        return config;
    }

    @Override
    public void stop() {
        super.stop();
        if (schema == null) {
            return;
        }
        try (Connection db = LocalStack.openAdminConnection(); Statement sql = db.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            System.err.println("Could not drop the test schema " + schema + ": " + e.getMessage());
        }
    }
}
