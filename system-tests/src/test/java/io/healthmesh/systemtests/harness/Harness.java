package io.healthmesh.systemtests.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.testsupport.LocalStack;
import io.healthmesh.testsupport.ServiceProcess;
import io.healthmesh.testsupport.TestTopics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The system under test for one test JVM: the packaged services started as processes against the
 * real local stack, sharing a fresh Kafka topic prefix and service credential. Services are
 * started on first use and all stopped when the JVM exits, whether the tests passed or not.
 */
public final class Harness {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** Small heaps and a quick start: many services share two cores during the tests. */
    private static final List<String> SERVICE_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Harness instance;

    private final Path root;
    private final Path logDirectory;
    private final String topicPrefix;
    /** What Withings must put in its callback path; the simulated Withings of the tests uses it. */
    public static final String WITHINGS_NOTIFY_SECRET = "it-withings-notify-secret";
    /** Oura's side of the tests: the client secret signs webhooks, the verification token answers challenges. */
    public static final String OURA_CLIENT_SECRET = "it-oura-client-secret";
    public static final String OURA_VERIFICATION_TOKEN = "it-oura-verification-token";

    private final String serviceSecret;
    private final String tokenKey;
    /** The key pair of users' bearer tokens: the gateway verifies with the public half, signs dev tokens with the other. */
    private final UserTokenKeys userTokenKeys;
    private final Map<ServiceModule, ServiceProcess> running = new EnumMap<>(ServiceModule.class);
    /** Every service's port is fixed up front, so each can be told where the others answer. */
    private final Map<ServiceModule, Integer> ports = new EnumMap<>(ServiceModule.class);
    private final List<ServiceProcess> replicas = new ArrayList<>();

    private Harness(Path root, Path logDirectory) {
        this.root = root;
        this.logDirectory = logDirectory;
        this.topicPrefix = TestTopics.freshPrefix();
        this.serviceSecret = "it-" + UUID.randomUUID();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.tokenKey = Base64.getEncoder().encodeToString(key);
        this.userTokenKeys = UserTokenKeys.create(logDirectory.resolveSibling("token-keys"));
        TestTopics.createAll(LocalStack.kafkaBootstrapServers(), topicPrefix);
        for (ServiceModule service : ServiceModule.values()) {
            ports.put(service, ServiceProcess.freePort());
        }
    }

    public static synchronized Harness get() {
        if (instance == null) {
            Path root = Path.of(System.getProperty("healthmesh.root", "..")).toAbsolutePath().normalize();
            Path logs = Path.of(System.getProperty("healthmesh.logs", "target/service-logs")).toAbsolutePath();
            Harness harness = new Harness(root, logs);
            Runtime.getRuntime().addShutdownHook(new Thread(harness::stopAll, "harness-shutdown"));
            instance = harness;
        }
        return instance;
    }

    public String topicPrefix() {
        return topicPrefix;
    }

    /** The name a topic of the topic map has in this run. */
    public String topic(String name) {
        return topicPrefix + name;
    }

    public String serviceSecret() {
        return serviceSecret;
    }

    public String bearer() {
        return "Bearer " + serviceSecret;
    }

    /**
     * A user's bearer token for the public API, from the running gateway's dev token route (the
     * harness turns {@code healthmesh.dev-tokens} on).
     */
    public String userBearer(String userId) {
        ServiceProcess gateway = process(ServiceModule.GATEWAY);
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/v1/dev/token"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    JSON.writeValueAsString(Map.of("userId", userId))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("dev token: " + answer.statusCode() + " " + answer.body());
            }
            return "Bearer " + JSON.readTree(answer.body()).path("accessToken").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The private key the gateway's trusted issuer signs users' tokens with (PKCS#8 PEM): tests that
     * need a token the dev token route would never issue (expired, without a subject) sign their own.
     */
    public Path userTokenSigningKey() {
        return userTokenKeys.signingKey();
    }

    /** The issuer ({@code iss}) the gateway accepts users' tokens from. */
    public static String userTokenIssuer() {
        return UserTokenKeys.ISSUER;
    }

    /** Starts the services that are not running yet (in parallel) and waits until all are ready. */
    public synchronized List<ServiceProcess> start(ServiceModule... services) {
        List<ServiceProcess> processes = new ArrayList<>();
        for (ServiceModule service : services) {
            ServiceProcess process = running.computeIfAbsent(service, s -> create(s, Map.of()));
            process.start();
            processes.add(process);
        }
        processes.forEach(process -> process.awaitReady(READY_TIMEOUT));
        return processes;
    }

    /** Starts one service with extra environment (a WireMock URL, say); replaces a running one. */
    public synchronized ServiceProcess startWith(ServiceModule service, Map<String, String> extraEnvironment) {
        ServiceProcess previous = running.remove(service);
        if (previous != null) {
            previous.stop();
        }
        ServiceProcess process = create(service, extraEnvironment);
        running.put(service, process);
        process.start();
        process.awaitReady(READY_TIMEOUT);
        return process;
    }

    /**
     * Starts one service with extra environment and extra JVM options, which come after the
     * harness's own (so {@code -Xmx96m} wins over the default heap); replaces a running one.
     */
    public synchronized ServiceProcess startWith(ServiceModule service, Map<String, String> extraEnvironment,
            List<String> extraJvmOptions) {
        ServiceProcess previous = running.remove(service);
        if (previous != null) {
            previous.stop();
        }
        ServiceProcess process = create(service, extraEnvironment, ports.get(service), extraJvmOptions);
        running.put(service, process);
        process.start();
        process.awaitReady(READY_TIMEOUT);
        return process;
    }

    /**
     * Starts several services at once, each with its own extra environment (none: reuses a running
     * one, like {@link #start}; some: replaces a running one, like {@link #startWith}), and waits
     * until all are ready. One parallel start instead of one after the other saves a test on two
     * cores most of its start-up time.
     */
    public synchronized List<ServiceProcess> startAllWith(Map<ServiceModule, Map<String, String>> environments) {
        List<ServiceProcess> processes = new ArrayList<>();
        environments.forEach((service, extra) -> {
            ServiceProcess process;
            if (extra.isEmpty()) {
                process = running.computeIfAbsent(service, s -> create(s, Map.of()));
            } else {
                ServiceProcess previous = running.remove(service);
                if (previous != null) {
                    previous.stop();
                }
                process = create(service, extra);
                running.put(service, process);
            }
            process.start();
            processes.add(process);
        });
        processes.forEach(process -> process.awaitReady(READY_TIMEOUT));
        return processes;
    }

    /** Stops a service; the next {@link #start} starts it again with the defaults. */
    public synchronized void stop(ServiceModule service) {
        ServiceProcess process = running.remove(service);
        if (process != null) {
            process.stop();
        }
    }

    /** Starts another replica of a running service (same environment plus extras, its own port). */
    public synchronized ServiceProcess startReplica(ServiceModule service, Map<String, String> extraEnvironment) {
        return startReplica(service, extraEnvironment, List.of());
    }

    /** Starts another replica with extra environment and JVM options (after the harness's own, so they win). */
    public synchronized ServiceProcess startReplica(ServiceModule service, Map<String, String> extraEnvironment,
            List<String> extraJvmOptions) {
        ServiceProcess replica = create(service, extraEnvironment, ServiceProcess.freePort(), extraJvmOptions);
        replicas.add(replica);
        replica.start();
        replica.awaitReady(READY_TIMEOUT);
        return replica;
    }

    public synchronized ServiceProcess process(ServiceModule service) {
        ServiceProcess process = running.get(service);
        if (process == null) {
            throw new IllegalStateException(service.module() + " was not started");
        }
        return process;
    }

    public synchronized void stopAll() {
        running.values().forEach(ServiceProcess::stop);
        replicas.forEach(ServiceProcess::stop);
    }

    /** A JDBC connection to the test database as the admin role (reads every service's schema). */
    public Connection db() throws SQLException {
        return LocalStack.openAdminConnection();
    }

    /** How many unified metric rows the normalizer holds for a user. */
    public long metricRows(String userId) throws SQLException {
        try (Connection db = db(); PreparedStatement query = db.prepareStatement(
                "select count(*) from normalizer.unified_metric where user_id = ?")) {
            query.setString(1, userId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private ServiceProcess create(ServiceModule service, Map<String, String> extraEnvironment) {
        return create(service, extraEnvironment, ports.get(service));
    }

    private ServiceProcess create(ServiceModule service, Map<String, String> extraEnvironment, int port) {
        return create(service, extraEnvironment, port, List.of());
    }

    private ServiceProcess create(ServiceModule service, Map<String, String> extraEnvironment, int port,
            List<String> extraJvmOptions) {
        Path jar = root.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isDirectory(root.resolve(service.module()))) {
            throw new IllegalStateException("No module " + service.module() + " under " + root);
        }
        Map<String, String> environment = new HashMap<>();
        environment.put("PGHOST", LocalStack.pgHost());
        environment.put("PGPORT", String.valueOf(LocalStack.pgPort()));
        environment.put("HEALTHMESH_DB_NAME", LocalStack.TEST_DATABASE);
        // The test database is shared with every checkout on the machine (see service-commons' %test).
        environment.put("QUARKUS_FLYWAY_IGNORE_MIGRATION_PATTERNS", "*:future");
        // Local-only passwords: each service role's password is its name (deploy/local/stack.sh).
        environment.put("QUARKUS_DATASOURCE_PASSWORD", service.dbRole());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", LocalStack.kafkaBootstrapServers());
        environment.put("HEALTHMESH_TOPIC_PREFIX", topicPrefix);
        environment.put("HEALTHMESH_SERVICE_SECRET", serviceSecret);
        environment.put("HEALTHMESH_TOKEN_KEY", tokenKey);
        // Connectors need their app's credentials in prod; tests that talk to a simulated
        // provider override the URLs (and may override these) through extraEnvironment.
        environment.put("WITHINGS_CLIENT_ID", "it-withings-client");
        environment.put("WITHINGS_CLIENT_SECRET", "it-withings-client-secret");
        environment.put("WITHINGS_NOTIFY_SECRET", WITHINGS_NOTIFY_SECRET);
        environment.put("OURA_CLIENT_ID", "it-oura-client");
        environment.put("OURA_CLIENT_SECRET", OURA_CLIENT_SECRET);
        environment.put("OURA_WEBHOOK_VERIFICATION_TOKEN", OURA_VERIFICATION_TOKEN);
        // No subscription calls to the real Oura from a test; OuraIT turns them on against its simulator.
        environment.put("OURA_WEBHOOK_SUBSCRIBE", "false");
        environment.put("MP_JWT_VERIFY_ISSUER", UserTokenKeys.ISSUER);
        environment.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", userTokenKeys.verifyKey().toString());
        environment.put("SMALLRYE_JWT_SIGN_KEY_LOCATION", userTokenKeys.signingKey().toString());
        environment.put("HEALTHMESH_DEV_TOKENS", "true");
        environment.put("HEALTHMESH_IMPORTS_STORAGE_DIR", logDirectory.resolveSibling("imports").toString());
        for (ServiceModule other : ServiceModule.values()) {
            String key = "QUARKUS_REST_CLIENT_" + other.module().toUpperCase(Locale.ROOT).replace('-', '_') + "_URL";
            environment.put(key, "http://127.0.0.1:" + ports.get(other));
        }
        environment.putAll(extraEnvironment);
        List<String> jvm = new ArrayList<>(SERVICE_JVM);
        jvm.addAll(extraJvmOptions);
        return new ServiceProcess(service.module(), jar, port, jvm, environment,
                logDirectory.resolve(service.module() + "-" + port + ".log"));
    }
}
