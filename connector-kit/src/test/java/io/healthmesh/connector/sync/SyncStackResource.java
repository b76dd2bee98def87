package io.healthmesh.connector.sync;

import io.healthmesh.testsupport.LocalStack;
import io.healthmesh.testsupport.RealStackResource;
import java.util.HashMap;
import java.util.Map;

/**
 * The real local stack for the sync side's tests: a fresh topic prefix (RealStackResource) and a
 * schema of their own, {@value #SCHEMA} in the test database, emptied at every start (the kit has
 * no schema of its own; it borrows the withings role, which may create schemas there). The app's
 * own sync worker is off unless the {@code worker} argument says {@code on}: most tests run
 * workers they create, so that they know who claims what.
 */
public class SyncStackResource extends RealStackResource {

    public static final String SCHEMA = "kit_sync";
    private static final String ROLE = "withings";

    private boolean worker;

    @Override
    public void init(Map<String, String> initArgs) {
        worker = "on".equals(initArgs.get("worker"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        String address = LocalStack.pgHost() + ":" + LocalStack.pgPort() + "/" + LocalStack.TEST_DATABASE;
        config.put("healthmesh.db.role", ROLE);
        config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + address + "?currentSchema=" + SCHEMA);
        config.put("quarkus.datasource.reactive.url", "postgresql://" + address + "?search_path=" + SCHEMA);
        config.put("quarkus.flyway.schemas", SCHEMA);
        config.put("quarkus.flyway.default-schema", SCHEMA);
        config.put("quarkus.flyway.clean-disabled", "false");
        config.put("quarkus.flyway.clean-at-start", "true");
        config.put("healthmesh.connector.sync.enabled", String.valueOf(worker));
        config.put("healthmesh.connector.sync.poll-interval", "200ms");
        return config;
    }

    /** The reactive URL of the tests' schema, for pools of their own ("other replicas"). */
    public static String reactiveUrl() {
        return "postgresql://" + LocalStack.pgHost() + ":" + LocalStack.pgPort() + "/" + LocalStack.TEST_DATABASE
                + "?search_path=" + SCHEMA;
    }

    public static String role() {
        return ROLE;
    }
}
