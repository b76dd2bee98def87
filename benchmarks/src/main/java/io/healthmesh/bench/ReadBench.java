package io.healthmesh.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.testsupport.LocalStack;
import io.healthmesh.testsupport.ServiceProcess;
import io.healthmesh.testsupport.TestTopics;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Latency of the normalizer's metric reads for one user with a year of minute-level heart rate and
 * steps from three sources ({@link MinuteYear}), against two floors measured in the same run: the
 * same read with {@code view=all}, and the normalizer's own SQL over the reactive PostgreSQL client
 * ({@link SqlFloor}). Prints figures; asserts nothing.
 *
 * <ol>
 *   <li>Load: the rows COPYed straight into {@code normalizer.unified_metric} as the normalizer
 *       writes them (a fresh user id per run), then VACUUM ANALYZE.</li>
 *   <li>Start preferences-service and the packaged normalizer as processes (fresh topic prefix,
 *       like the system-tests harness); PUT the user's order for heart and activity
 *       (apple_health, oura, withings), so resolution has work to do.</li>
 *   <li>Per read (a one-day raw read, a one-year day-granularity read; heart rate and steps) and
 *       concurrency (1, 8, 32): closed-loop clients, each sending its next request when the last
 *       answered; per-request latency of view=resolved, view=all, and the SQL floor.</li>
 *   <li>Where the time goes: response sizes, the policy round trip, the query plan, a tightly
 *       bounded query, SQL-side day aggregation and a rollup read, JSON writing, GC, and (with
 *       {@code --jfr}) the normalizer's and preferences-service's CPU profiles.</li>
 * </ol>
 *
 * Rows, the preferences row, topics and the consumer group of the run are removed at the end (also
 * on Ctrl-C) and the table compacted, unless {@code --keep}.
 */
public final class ReadBench {

    private static final String TABLE = "normalizer.unified_metric";
    private static final String[] VARIANTS = {"resolved", "all", "sql"};
    private static final String POLICY_ORDER = "[\"apple_health\", \"oura\", \"withings\"]";

    /** One read of the matrix: a metric over a window at a granularity. */
    record Read(String key, String metric, String granularity, OffsetDateTime from, OffsetDateTime to, boolean year) {

        String label() {
            return key + " (" + metric + ", " + granularity + ", " + from.toLocalDate() + (year ? " .. "
                    + to.minusDays(1).toLocalDate() : "") + ")";
        }
    }

    /** Latencies of one cell: a read, a variant, a concurrency. */
    static final class Cell {
        final List<Long> nanos = new ArrayList<>();
        int errors;
        String firstError;
        long bytes;
        double wallSeconds;
        final CpuTally cpu = new CpuTally();

        double p(double quantile) {
            if (nanos.isEmpty()) {
                return Double.NaN;
            }
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            int index = (int) Math.ceil(quantile * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
        }

        double max() {
            return nanos.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6;
        }

        double throughput() {
            return wallSeconds > 0 ? nanos.size() / wallSeconds : Double.NaN;
        }
    }

    /** CPU seconds per party, added up over the rounds of a cell. */
    static final class CpuTally {
        double wall;
        double normalizer;
        double preferences;
        double postgres;
        double bench;
        double busy;
        double total;
        boolean restarted;

        void add(CpuMeter.Sample from, CpuMeter.Sample to) {
            wall += (to.nanos() - from.nanos()) / 1e9;
            if (to.normalizer() < from.normalizer() || to.normalizer() == 0) {
                restarted = true; // another process by then: its CPU time is not comparable
            } else {
                normalizer += to.normalizer() - from.normalizer();
            }
            preferences += to.preferences() - from.preferences();
            postgres += to.postgres() - from.postgres();
            bench += to.bench() - from.bench();
            busy += to.machineBusy() - from.machineBusy();
            total += to.machineTotal() - from.machineTotal();
        }

        double other() {
            return restarted ? Double.NaN : Math.max(0, busy - normalizer - preferences - postgres - bench);
        }

        String describe() {
            return String.format(Locale.ROOT, "normalizer %s, preferences %.1f, postgres %.1f, bench %.1f, other %.1f"
                    + " CPU s over %.1f s; machine %.0f%% busy", restarted ? "? (died)" : String.format(Locale.ROOT,
                            "%.1f", normalizer), preferences, postgres, bench, other(), wall,
                    total > 0 ? 100 * busy / total : 0);
        }
    }

    /** One request; answers the bytes (HTTP) or rows (SQL) it got. */
    interface Call {
        long run() throws Exception;
    }

    private final Options options;
    private final String tag = String.format("%08x", new SecureRandom().nextInt());
    private final String prefix = TestTopics.freshPrefix();
    private final String userId;
    private final String secret = "bench-" + tag;
    private final CpuMeter cpu = new CpuMeter();
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private final ObjectMapper json = EventJson.mapper();
    private final Map<String, Map<Integer, Map<String, Cell>>> results = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    /** Untimed calls (policy, shapes, diagnostics). */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** The timed reads. */
    private final VertxHttpReads timedHttp = new VertxHttpReads();
    private final List<Read> reads;
    private Connection db;
    private SqlFloor sql;
    private volatile ServiceProcess normalizer;
    private volatile ServiceProcess preferences;
    private int normalizerLaunches;
    private boolean topicsCreated;
    private boolean loaded;
    private long rowCount;
    private Path gcLog;
    private Path jfrFile;
    private Path preferencesJfrFile;

    private ReadBench(Options options) {
        this.options = options;
        this.userId = options.reuseUser != null ? options.reuseUser : "bench-" + tag + "-r-u0";
        OffsetDateTime dayFrom = options.day.atStartOfDay(MinuteYear.ZONE).toOffsetDateTime();
        OffsetDateTime dayTo = options.day.plusDays(1).atStartOfDay(MinuteYear.ZONE).toOffsetDateTime();
        OffsetDateTime yearFrom = options.firstDay.atStartOfDay(MinuteYear.ZONE).toOffsetDateTime();
        OffsetDateTime yearTo = options.firstDay.plusDays(options.days).atStartOfDay(MinuteYear.ZONE).toOffsetDateTime();
        List<Read> all = List.of(
                new Read("day-hr", "heart_rate", "raw", dayFrom, dayTo, false),
                new Read("day-steps", "steps", "raw", dayFrom, dayTo, false),
                new Read("year-steps", "steps", "day", yearFrom, yearTo, true),
                new Read("year-hr", "heart_rate", "day", yearFrom, yearTo, true));
        this.reads = all.stream().filter(r -> options.reads.contains(r.key())).toList();
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options == null) {
            return;
        }
        ReadBench bench = new ReadBench(options);
        Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanup, "bench-cleanup"));
        int status = 0;
        try {
            bench.run();
        } catch (Exception e) {
            System.out.println();
            System.out.println("!! The benchmark stopped: " + e);
            e.printStackTrace(System.out);
            status = 1;
        } finally {
            bench.cleanup();
        }
        System.exit(status); // the HTTP client's and Vert.x's threads would keep the JVM up
    }

    private void run() throws Exception {
        for (Path jar : List.of(options.normalizerJar, options.preferencesJar)) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: package the services first (./mvnw -Pbench -pl"
                        + " normalizer-service,preferences-service,benchmarks -am package -DskipTests) or use"
                        + " run-read-bench.sh");
            }
        }
        Files.createDirectories(options.logDir);
        db = LocalStack.openAdminConnection();
        db.setAutoCommit(true);

        section("Read latency benchmark");
        printMachine();
        line("user", userId + " in " + LocalStack.TEST_DATABASE + " (run tag " + tag + ", topic prefix " + prefix + ")");
        line("reads", reads.stream().map(Read::label).collect(Collectors.joining("; ")));
        line("concurrency", options.concurrency.toString() + " closed-loop clients (each sends its next request when"
                + " its last one answered)");
        line("requests per cell", "day reads " + options.dayRequests + ", year reads " + options.yearViewRequests
                + " (resolved, all) and " + options.yearRequests + " (sql, per concurrency); " + options.rounds
                + " round(s) per cell, the three variants in turn");
        line("logs", options.logDir.toAbsolutePath().toString());

        long before = scalarLong("select count(*) from " + TABLE);
        String size = tableSize();
        if (options.reuseUser == null) {
            String compacted = NormalizerBench.compact(db);
            line("table before the run", String.format(Locale.ROOT, "%,d rows; %s; after %s: %s", before, size,
                    compacted, tableSize()));
        } else {
            // Not compacted: a VACUUM FULL of the kept rows would lock the table for a minute.
            line("table before the run", String.format(Locale.ROOT, "%,d rows; %s", before, size));
        }

        if (options.reuseUser == null) {
            load();
        } else {
            section("1. Load: reusing the rows of " + userId + " (--reuse-user)");
            loaded = true;
            rowCount = scalarLong("select count(*) from " + TABLE + " where user_id = '" + userId.replace("'", "") + "'");
            line("rows", String.format(Locale.ROOT, "%,d", rowCount));
            try (Statement statement = db.createStatement()) {
                statement.execute("VACUUM (ANALYZE) " + TABLE);
            }
        }
        startServices();
        setPolicy();
        sql = new SqlFloor(LocalStack.pgHost(), LocalStack.pgPort(), LocalStack.TEST_DATABASE, "normalizer",
                "normalizer", options.sqlPool, Duration.ofSeconds(options.yearTimeoutSeconds));
        Map<String, String> shapes = shapes();
        warmUp();
        measure();
        printResults(shapes);
        diagnostics();
        if (jfrFile != null) {
            stopNormalizer();
            profile("9. Normalizer CPU profile (JFR, the whole run after start-up)", jfrFile);
        }
        if (preferencesJfrFile != null) {
            preferences.stop();
            profile("10. preferences-service CPU profile (JFR, the whole run after start-up)", preferencesJfrFile);
        }
    }

    // ------------------------------------------------------------------------------------------
    // 1. Load

    private void load() throws Exception {
        section("1. Load (not measured): COPY into " + TABLE + " as the normalizer writes such rows");
        MinuteYear data = new MinuteYear(userId, options.firstDay, options.days, options.seed);
        String url = "jdbc:postgresql://" + LocalStack.pgHost() + ":" + LocalStack.pgPort() + "/"
                + LocalStack.TEST_DATABASE + "?currentSchema=normalizer";
        loaded = true;
        long start = System.nanoTime();
        CpuMeter.Sample cpuStart = cpu.sample(-1);
        long rows = data.load(url, "normalizer", "normalizer", 30, written -> System.out.printf(Locale.ROOT,
                "    ... %,d rows after %.0f s%n", written, (System.nanoTime() - start) / 1e9));
        double seconds = (System.nanoTime() - start) / 1e9;
        line("rows", String.format(Locale.ROOT, "%,d for %s .. %s (%d days, Europe/Berlin) in %.1f s, %,.0f rows/s",
                rows, data.firstDay(), data.lastDay(), options.days, seconds, rows / seconds));
        data.rowsPerKind().forEach((kind, n) -> line("  " + kind, String.format(Locale.ROOT, "%,d", n)));
        line("cpu", CpuMeter.describe(cpuStart, cpu.sample(-1)));
        long vacuum = System.nanoTime();
        try (Statement statement = db.createStatement()) {
            statement.execute("VACUUM (ANALYZE) " + TABLE);
        }
        line("VACUUM ANALYZE", String.format(Locale.ROOT, "%.1f s (visibility map and statistics, as a settled table"
                + " has them); table now %s", (System.nanoTime() - vacuum) / 1e9, tableSize()));
        long checkpoint = System.nanoTime();
        try (Statement statement = db.createStatement()) {
            // Else the load's dirty pages are written out during the first cells, on the cores they share.
            statement.execute("CHECKPOINT");
            line("CHECKPOINT", String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - checkpoint) / 1e9));
        } catch (SQLException e) {
            // deploy/local/stack.sh up grants it to the admin role (PostgreSQL 15 on); an older stack may not have it.
            line("CHECKPOINT", "not allowed (" + e.getMessage() + "); the load's pages are written out during the"
                    + " first cells");
            notes.add("No CHECKPOINT after the load: run deploy/local/stack.sh up again to grant pg_checkpoint.");
        }
        rowCount = rows;
    }

    // ------------------------------------------------------------------------------------------
    // 2. Services and policy

    private void startServices() throws Exception {
        section("2. Services");
        TestTopics.createAll(LocalStack.kafkaBootstrapServers(), prefix);
        topicsCreated = true;
        int preferencesPort = ServiceProcess.freePort();
        Map<String, String> environment = baseEnvironment("preferences");
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
        if (options.jfr) {
            preferencesJfrFile = options.logDir.resolve("read-" + tag + "-preferences.jfr").toAbsolutePath();
            jvm.add("-XX:FlightRecorderOptions=stackdepth=256");
            jvm.add("-XX:StartFlightRecording=filename=" + preferencesJfrFile + ",settings=profile");
        }
        preferences = new ServiceProcess("preferences-service", options.preferencesJar.toAbsolutePath().normalize(),
                preferencesPort, jvm, environment,
                options.logDir.resolve("read-" + tag + "-preferences.log"));
        line("preferences-service", String.join(" ", preferences.command()));
        preferences.start();
        startNormalizer();
        preferences.awaitReady(Duration.ofSeconds(120));
        normalizer.awaitReady(Duration.ofSeconds(120));
        line("ready", "preferences-service at " + preferences.baseUrl() + ", normalizer at " + normalizer.baseUrl());
    }

    private void startNormalizer() {
        if (normalizer == null) {
            Map<String, String> environment = baseEnvironment("normalizer");
            environment.put("QUARKUS_REST_CLIENT_PREFERENCES_SERVICE_URL", preferences.baseUrl());
            // As deploy/k8s runs the process that serves reads (normalizer-read): it consumes nothing.
            // The rows are loaded straight into the table; a consumer polling its topics would only
            // add its own CPU to every cell.
            environment.put("MP_MESSAGING_INCOMING_RAW_EVENTS_ENABLED", "false");
            List<String> jvm = new ArrayList<>();
            jvm.add("-Xmx" + options.xmx);
            jvm.add("-XX:+ExitOnOutOfMemoryError");
            // One GC log per launch (%p: the pid), so a restart does not overwrite the last one's.
            gcLog = options.logDir.resolve("read-" + tag + "-normalizer-gc-%p.log");
            jvm.add("-Xlog:gc:file=" + gcLog.toAbsolutePath());
            if (options.jfr) {
                jfrFile = options.logDir.resolve("read-" + tag + "-normalizer.jfr").toAbsolutePath();
                jvm.add("-XX:FlightRecorderOptions=stackdepth=256");
                jvm.add("-XX:StartFlightRecording=filename=" + jfrFile + ",settings=profile");
            }
            jvm.addAll(options.jvmOptions);
            options.properties.forEach((k, v) -> jvm.add("-D" + k + "=" + v));
            normalizer = new ServiceProcess("normalizer-service", options.normalizerJar.toAbsolutePath().normalize(),
                    ServiceProcess.freePort(), jvm, environment, options.logDir.resolve("read-" + tag
                            + "-normalizer.log"));
            line("normalizer", String.join(" ", normalizer.command()));
        }
        normalizer.start();
        normalizerLaunches++;
    }

    private Map<String, String> baseEnvironment(String role) {
        Map<String, String> environment = new HashMap<>();
        environment.put("PGHOST", LocalStack.pgHost());
        environment.put("PGPORT", String.valueOf(LocalStack.pgPort()));
        environment.put("HEALTHMESH_DB_NAME", LocalStack.TEST_DATABASE);
        environment.put("QUARKUS_DATASOURCE_PASSWORD", role);
        environment.put("KAFKA_BOOTSTRAP_SERVERS", LocalStack.kafkaBootstrapServers());
        environment.put("HEALTHMESH_TOPIC_PREFIX", prefix);
        environment.put("HEALTHMESH_SERVICE_SECRET", secret);
        return environment;
    }

    /** The normalizer died (out of memory, say): start it again and warm it up a little. */
    private void ensureNormalizer(Read read) throws Exception {
        if (normalizer.isAlive()) {
            return;
        }
        String why = normalizer.logMentions("OutOfMemoryError") ? "OUT OF MEMORY at -Xmx" + options.xmx : "exited";
        String note = "normalizer " + why + " during/after " + read.key() + "; restarted (launch "
                + (normalizerLaunches + 1) + ")";
        notes.add(note);
        line("!!", note);
        startNormalizer();
        normalizer.awaitReady(Duration.ofSeconds(120));
        if (!read.year()) {
            for (String view : List.of("resolved", "all")) {
                drive(8, 100, () -> httpRead(read, view), new Cell(), null, true);
            }
        }
    }

    private void setPolicy() throws Exception {
        section("3. The user's policy");
        for (String category : List.of("heart", "activity")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(preferences.baseUrl()
                    + "/internal/users/" + userId + "/preferences/" + category))
                    .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"sources\": " + POLICY_ORDER + "}"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            line("PUT " + category, response.statusCode() + (response.statusCode() / 100 == 2 ? " " + POLICY_ORDER
                    : " " + response.body()));
        }
        HttpResponse<String> policy = http.send(HttpRequest.newBuilder(URI.create(preferences.baseUrl()
                + "/internal/users/" + userId + "/policy")).header("Authorization", "Bearer " + secret)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode node = json.readTree(policy.body());
        line("policy", "version " + node.path("version") + ", heart " + node.path("categories").path("heart")
                + ", activity " + node.path("categories").path("activity") + ", device ranks "
                + node.path("deviceRanks") + ", home zone " + node.path("homeZone") + " (" + policy.body().length()
                + " B of JSON)");
    }

    // ------------------------------------------------------------------------------------------
    // 4. Shapes, warm-up, measurement

    /** One answer of each read and view: what is being timed. */
    private Map<String, String> shapes() throws Exception {
        section("4. What each read answers (one request each)");
        Map<String, String> shapes = new LinkedHashMap<>();
        for (Read read : reads) {
            for (String view : List.of("resolved", "all")) {
                long start = System.nanoTime();
                HttpResponse<byte[]> response;
                try {
                    response = http.send(request(read, view), HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    String shape = "FAILED after " + Math.round((System.nanoTime() - start) / 1e6) + " ms: " + e;
                    shapes.put(read.key() + " " + view, shape);
                    line(read.key() + " " + view, shape);
                    ensureNormalizer(read);
                    continue;
                }
                double ms = (System.nanoTime() - start) / 1e6;
                String shape;
                if (response.statusCode() == 200) {
                    JsonNode points = json.readTree(response.body()).path("points");
                    Map<String, Integer> bySource = new TreeMap<>();
                    points.forEach(p -> bySource.merge(p.path("source").asText(), 1, Integer::sum));
                    shape = String.format(Locale.ROOT, "%,d points %s, %,d B of JSON (%.0f ms cold)", points.size(),
                            bySource, response.body().length, ms);
                    if (read.year() && points.size() > 0) {
                        JsonNode p = points.get(points.size() / 2);
                        shape += "; e.g. " + p.path("start").asText().substring(0, 10) + " " + p.path("source").asText()
                                + " value " + Math.round(p.path("value").asDouble()) + " devices " + p.path("devices");
                    }
                } else {
                    shape = "HTTP " + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8)
                            .lines().findFirst().orElse("");
                }
                shapes.put(read.key() + " " + view, shape);
                line(read.key() + " " + view, shape);
            }
            long start = System.nanoTime();
            SqlFloor.Fold fold = sqlRead(read);
            line(read.key() + " sql", String.format(Locale.ROOT, "%,d rows (%.0f ms cold)", fold.rows(),
                    (System.nanoTime() - start) / 1e6));
            shapes.put(read.key() + " sql", String.format(Locale.ROOT, "%,d rows", fold.rows()));
        }
        return shapes;
    }

    private void warmUp() throws Exception {
        section("5. Warm-up (not measured)");
        long start = System.nanoTime();
        for (Read read : reads) {
            for (String variant : VARIANTS) {
                // A year's rows through SQL take seconds; the views of a year come from the day cache.
                int n = read.year() && "sql".equals(variant) ? options.warmupYear : options.warmupDay;
                // At the largest concurrency measured: the services' connection pools (to PostgreSQL,
                // and the normalizer's to preferences-service) have grown to what every cell needs
                // before any is measured, instead of growing inside the first variant's c=32 cell.
                int c = read.year() && "sql".equals(variant) ? Math.min(2, n)
                        : Collections.max(options.concurrency);
                Cell cell = new Cell();
                drive(c, n, call(read, variant), cell, null, !"sql".equals(variant));
                line(read.key() + " " + variant, String.format(Locale.ROOT, "%d requests at concurrency %d, last p50"
                        + " %.1f ms%s", n, c, cell.p(0.5), cell.errors > 0 ? ", " + cell.errors + " errors: "
                        + cell.firstError : ""));
                ensureNormalizer(read);
            }
        }
        line("warm-up took", String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - start) / 1e9));
    }

    private void measure() throws Exception {
        section("6. Measurement");
        for (Read read : reads) {
            Map<Integer, Map<String, Cell>> byConcurrency = new LinkedHashMap<>();
            results.put(read.key(), byConcurrency);
            List<Integer> requests = read.year() ? options.yearRequests : List.of();
            for (int i = 0; i < options.concurrency.size(); i++) {
                int c = options.concurrency.get(i);
                int n = read.year() ? requests.get(Math.min(i, requests.size() - 1)) : options.dayRequests;
                Map<String, Cell> cells = new LinkedHashMap<>();
                for (String variant : VARIANTS) {
                    cells.put(variant, new Cell());
                }
                byConcurrency.put(c, cells);
                int rounds = read.year() ? 1 : options.rounds;
                for (int round = 0; round < rounds; round++) {
                    int share = n / rounds + (round < n % rounds ? 1 : 0);
                    for (int v = 0; v < VARIANTS.length; v++) {
                        String variant = VARIANTS[(v + round) % VARIANTS.length];
                        ensureNormalizer(read);
                        int requested = read.year() && !"sql".equals(variant) ? options.yearViewRequests : share;
                        drive(c, Math.max(requested, c), call(read, variant), cells.get(variant), cpu,
                                !"sql".equals(variant));
                    }
                }
                for (String variant : VARIANTS) {
                    Cell cell = cells.get(variant);
                    line(String.format(Locale.ROOT, "%s c=%d %s", read.key(), c, variant), String.format(Locale.ROOT,
                            "p50 %8.1f ms  p99 %8.1f ms  max %8.1f  n %4d  %6.1f req/s%s; %s", cell.p(0.5), cell.p(0.99),
                            cell.max(), cell.nanos.size(), cell.throughput(), cell.errors > 0 ? "  ERRORS " + cell.errors
                                    + " (" + shortError(cell.firstError) + ")" : "", cell.cpu.describe()));
                }
            }
        }
    }

    private Call call(Read read, String variant) {
        if ("sql".equals(variant)) {
            return () -> sqlRead(read).rows();
        }
        return () -> httpRead(read, variant);
    }

    private long httpRead(Read read, String view) throws Exception {
        VertxHttpReads.Answer answer = timedHttp.get(uri(read, view), secret,
                Duration.ofSeconds(read.year() ? options.yearTimeoutSeconds : 60));
        if (answer.status() != 200) {
            throw new IllegalStateException("HTTP " + answer.status() + " " + answer.firstLine());
        }
        return answer.length();
    }

    private HttpRequest request(Read read, String view) {
        return HttpRequest.newBuilder(URI.create(uri(read, view))).header("Authorization", "Bearer " + secret)
                .timeout(Duration.ofSeconds(read.year() ? options.yearTimeoutSeconds : 60)).GET().build();
    }

    private String uri(Read read, String view) {
        return normalizer.baseUrl() + "/internal/users/" + userId + "/metrics/" + read.metric() + "?from="
                + encode(read.from().toString()) + "&to=" + encode(read.to().toString()) + "&granularity="
                + read.granularity() + "&view=" + view;
    }

    /** The rows the normalizer fetches for this read, with the same bounds and limit. */
    private SqlFloor.Fold sqlRead(Read read) throws Exception {
        Instant from = read.from().toInstant();
        Instant to = read.to().toInstant();
        if (read.year()) {
            // A day read's rows: every row that may fall on one of its dates (the window's UTC dates
            // for view=all), from 18 h before the first date to 18 h after the last.
            Instant rowsFrom = from.atOffset(ZoneOffset.UTC).toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC)
                    .minus(Duration.ofHours(18));
            Instant rowsTo = to.minusNanos(1).atOffset(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay()
                    .toInstant(ZoneOffset.UTC).plus(Duration.ofHours(18));
            return sql.fetch(userId, read.metric(), rowsFrom, rowsTo, Integer.MAX_VALUE, options.yearTimeoutSeconds);
        }
        return sql.fetch(userId, read.metric(), from, to, options.maxPoints + 1, 60);
    }

    /**
     * Runs {@code requests} calls on {@code concurrency} threads, each sending its next call when
     * its last one answered; records each call's latency into the cell.
     */
    private void drive(int concurrency, int requests, Call call, Cell cell, CpuMeter meter) throws Exception {
        drive(concurrency, requests, call, cell, meter, false);
    }

    /** As above; with {@code needsNormalizer}, clients stop sending once the normalizer process is gone. */
    private void drive(int concurrency, int requests, Call call, Cell cell, CpuMeter meter, boolean needsNormalizer)
            throws Exception {
        AtomicInteger tickets = new AtomicInteger(requests);
        List<long[]> latencies = new ArrayList<>();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] bytes = new long[concurrency];
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        CpuMeter.Sample cpuStart = meter == null ? null : meter.sample(normalizer.pid(), preferences.pid());
        long start = System.nanoTime();
        try {
            List<Future<long[]>> clients = new ArrayList<>();
            for (int client = 0; client < concurrency; client++) {
                int id = client;
                clients.add(pool.submit(() -> {
                    long[] mine = new long[requests];
                    int count = 0;
                    while (tickets.getAndDecrement() > 0) {
                        if (needsNormalizer && !normalizer.isAlive()) {
                            tickets.set(0);
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, "normalizer process gone");
                            break;
                        }
                        long t0 = System.nanoTime();
                        try {
                            bytes[id] += call.run();
                            mine[count++] = System.nanoTime() - t0;
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e.toString());
                        }
                    }
                    return Arrays.copyOf(mine, count);
                }));
            }
            for (Future<long[]> client : clients) {
                latencies.add(client.get());
            }
        } finally {
            pool.shutdownNow();
        }
        cell.wallSeconds += (System.nanoTime() - start) / 1e9;
        if (meter != null) {
            cell.cpu.add(cpuStart, meter.sample(normalizer.pid(), preferences.pid()));
        }
        latencies.forEach(l -> Arrays.stream(l).forEach(cell.nanos::add));
        cell.errors += errors.get();
        if (cell.firstError == null) {
            cell.firstError = firstError.get();
        }
        cell.bytes += Arrays.stream(bytes).sum();
    }

    // ------------------------------------------------------------------------------------------
    // 7. Results

    private void printResults(Map<String, String> shapes) {
        section("7. Results: latency in ms (p50 / p99), ratios against the targets");
        line("rows of the user", String.format(Locale.ROOT, "%,d (%d days of minute-level heart rate and steps,"
                + " 3 sources)", rowCount, options.days));
        System.out.println();
        System.out.printf(Locale.ROOT, "  %-11s %3s | %19s | %19s | %19s | %-15s %-15s | %-14s%n", "read", "c",
                "resolved p50/p99", "all p50/p99", "sql p50/p99", "res/all p50", "res/all p99", "all/sql p50");
        System.out.printf(Locale.ROOT, "  %-11s %3s | %19s | %19s | %19s | %-15s %-15s | %-14s%n", "", "", "", "", "",
                "(<= 1.5)", "(<= 3)", "(<= 1.5)");
        List<String> missed = new ArrayList<>();
        results.forEach((read, byConcurrency) -> byConcurrency.forEach((c, cells) -> {
            Cell resolved = cells.get("resolved");
            Cell all = cells.get("all");
            Cell floor = cells.get("sql");
            double r50 = resolved.p(0.5) / all.p(0.5);
            double r99 = resolved.p(0.99) / all.p(0.99);
            double a50 = all.p(0.5) / floor.p(0.5);
            System.out.printf(Locale.ROOT, "  %-11s %3d | %19s | %19s | %19s | %-15s %-15s | %-14s%n", read, c,
                    pair(resolved), pair(all), pair(floor), verdict(r50, 1.5), verdict(r99, 3.0), verdict(a50, 1.5));
            String name = read + " c=" + c;
            BenchFigures.ratio("resolved reads", name + " resolved p50", resolved.p(0.5), "ms", "view=all p50",
                    all.p(0.5), r50, "<= 1.5", r50 <= 1.5);
            BenchFigures.ratio("resolved reads", name + " resolved p99", resolved.p(0.99), "ms", "view=all p99",
                    all.p(0.99), r99, "<= 3", r99 <= 3.0);
            BenchFigures.ratio("resolved reads", name + " view=all p50", all.p(0.5), "ms", "bare SQL p50",
                    floor.p(0.5), a50, "<= 1.5", a50 <= 1.5);
            if (!(r50 <= 1.5) || !(r99 <= 3.0) || !(a50 <= 1.5)) {
                missed.add(read + " c=" + c);
            }
            for (String variant : VARIANTS) {
                Cell cell = cells.get(variant);
                if (cell.errors > 0) {
                    String error = cell.firstError == null ? "?" : cell.firstError;
                    missed.add(read + " c=" + c + " " + variant + ": " + cell.errors + " failed (" + (error.length() > 90
                            ? error.substring(0, 90) + "..." : error) + ")");
                }
            }
        }));
        System.out.println();
        line("targets", missed.isEmpty() ? "all met" : "MISSED in " + String.join("; ", missed));
        notes.stream().collect(Collectors.groupingBy(n -> n.replaceAll(" \\(launch \\d+\\)", ""),
                LinkedHashMap::new, Collectors.counting())).forEach((n, k) -> line("note", n + (k > 1 ? " (" + k
                        + " times)" : "")));
        line("percentiles", "nearest rank over the cell's successful requests: with n = 32, p99 is the maximum");
        line("sizes", shapes.toString());
    }

    private static String shortError(String error) {
        return error == null ? "?" : error.length() > 120 ? error.substring(0, 120) + "..." : error;
    }

    private static String pair(Cell cell) {
        return cell.nanos.isEmpty() ? "failed" : String.format(Locale.ROOT, "%s / %s", ms(cell.p(0.5)), ms(cell.p(0.99)))
                + (cell.errors > 0 ? "!" : "");
    }

    private static String ms(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%,.0f", ms) : String.format(Locale.ROOT, "%.1f", ms);
    }

    private static String verdict(double ratio, double target) {
        if (Double.isNaN(ratio)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f %s", ratio, ratio <= target ? "ok" : "MISS");
    }

    // ------------------------------------------------------------------------------------------
    // 8. Where the time goes

    private void diagnostics() throws Exception {
        section("8. Where the time goes");
        // The policy round trip the resolved view adds (in parallel with the SQL for instant ranges).
        Cell policy = new Cell();
        HttpRequest policyRequest = HttpRequest.newBuilder(URI.create(preferences.baseUrl() + "/internal/users/" + userId
                + "/policy")).header("Authorization", "Bearer " + secret).timeout(Duration.ofSeconds(30)).build();
        drive(1, 300, () -> http.send(policyRequest, HttpResponse.BodyHandlers.ofByteArray()).body().length, new Cell(),
                null);
        drive(1, 300, () -> http.send(policyRequest, HttpResponse.BodyHandlers.ofByteArray()).body().length, policy,
                null);
        Cell policy8 = new Cell();
        drive(8, 400, () -> http.send(policyRequest, HttpResponse.BodyHandlers.ofByteArray()).body().length, policy8,
                null);
        line("policy GET (bench -> preferences)", String.format(Locale.ROOT, "c=1 p50 %.2f / p99 %.2f ms; c=8 p50 %.2f"
                + " / p99 %.2f ms (the normalizer fetches it while the SQL runs, for instant ranges)", policy.p(0.5),
                policy.p(0.99), policy8.p(0.5), policy8.p(0.99)));

        for (Read read : reads) {
            Instant from = read.from().toInstant();
            Instant to = read.to().toInstant();
            Instant windowFrom = read.year() ? from.minus(Duration.ofDays(1)) : from;
            Instant windowTo = read.year() ? to.plus(Duration.ofDays(1)) : to;
            long limit = read.year() ? Integer.MAX_VALUE : options.maxPoints + 1;
            String explain = explain(read.metric(), windowFrom, windowTo, limit);
            line(read.key() + " plan", explain);
            if (!read.year()) {
                // The same rows with the query the normalizer had before: one range from 31 days back, sorted.
                Cell previous = new Cell();
                Tuple params = SqlFloor.previousParams(userId, read.metric(), from, to, options.maxPoints + 1);
                drive(1, 50, () -> sql.fetch(SqlFloor.PREVIOUS, params, 60).rows(), new Cell(), null);
                drive(1, 200, () -> sql.fetch(SqlFloor.PREVIOUS, params, 60).rows(), previous, null);
                Cell normal = new Cell();
                drive(1, 200, () -> sqlRead(read).rows(), normal, null);
                line(read.key() + " sql, start bound", String.format(Locale.ROOT, "the normalizer's (from - 1 hour, longer"
                        + " readings from - 31 days in their own index): p50 %.1f / p99 %.1f ms; the previous one (from -"
                        + " 31 days): p50 %.1f / p99 %.1f ms (c=1, same rows)", normal.p(0.5), normal.p(0.99),
                        previous.p(0.5), previous.p(0.99)));
                jsonCost(read);
            } else {
                aggregation(read, windowFrom, windowTo);
            }
        }
        gcSummary();
    }

    private String explain(String metric, Instant from, Instant to, long limit) throws SQLException {
        // Literals, not parameters: the query uses some parameters twice.
        Tuple params = SqlFloor.params(userId, metric, from, to, (int) Math.min(limit, Integer.MAX_VALUE));
        String sqlText = "EXPLAIN (ANALYZE, BUFFERS) " + SqlFloor.METRICS.replace("unified_metric", TABLE);
        for (int i = params.size(); i >= 1; i--) {
            Object value = params.getValue(i - 1);
            String literal = value instanceof Number ? value.toString()
                    : "'" + value.toString().replace("'", "''") + "'" + (value instanceof OffsetDateTime ? "::timestamptz" : "");
            sqlText = sqlText.replace("$" + i, literal);
        }
        List<String> lines = new ArrayList<>();
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sqlText)) {
            while (rows.next()) {
                lines.add(rows.getString(1).trim());
            }
        }
        return lines.stream().filter(l -> l.startsWith("->") || l.startsWith("Limit") || l.contains("Rows Removed")
                || l.startsWith("Buffers") || l.startsWith("Execution") || l.startsWith("JIT") || l.startsWith("Sort"))
                .map(l -> l.replaceAll("\\(cost=[^)]*\\) ", "")).limit(12).collect(Collectors.joining(" | "));
    }

    /** What writing the answer as JSON costs in a JVM like the normalizer's (Jackson, java.time). */
    private void jsonCost(Read read) throws Exception {
        for (String view : List.of("all", "resolved")) {
            byte[] body = http.send(request(read, view), HttpResponse.BodyHandlers.ofByteArray()).body();
            JsonPoint.Series series = json.readValue(body, JsonPoint.Series.class);
            long best = Long.MAX_VALUE;
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                long t0 = System.nanoTime();
                int length = json.writeValueAsBytes(series).length;
                long t = System.nanoTime() - t0;
                times.add(t);
                best = Math.min(best, t + (length == 0 ? 1 : 0));
            }
            Cell cell = new Cell();
            cell.nanos.addAll(times.subList(100, 300));
            line(read.key() + " JSON " + view, String.format(Locale.ROOT, "%,d points, %,d B: Jackson writes it in p50"
                    + " %.2f ms (bench JVM, after 100 warm-ups)", series.points().size(), body.length, cell.p(0.5)));
        }
    }

    /** Day buckets computed by PostgreSQL, and a rollup read, against fetching every minute row. */
    private void aggregation(Read read, Instant windowFrom, Instant windowTo) throws Exception {
        String grouped = """
                SELECT local_date, source, device, sum(value), avg(value), min(value), max(value), count(*)
                FROM unified_metric
                WHERE user_id = $1 AND metric = $2 AND start_time >= $3 AND start_time < $4 AND end_time >= $5
                GROUP BY local_date, source, device
                """;
        Tuple params = Tuple.tuple(List.of(userId, read.metric(), SqlFloor.utc(windowFrom.minus(Duration.ofDays(31))),
                SqlFloor.utc(windowTo), SqlFloor.utc(windowFrom)));
        // The normalizer's query without its ORDER BY (the service buckets and sorts the points itself).
        Tuple six = SqlFloor.params(userId, read.metric(), windowFrom, windowTo, Integer.MAX_VALUE);
        String unordered = SqlFloor.METRICS.replace("ORDER BY start_time, source, device\n", "");
        Cell ordered = new Cell();
        Cell unorderedCell = new Cell();
        for (int i = 0; i < 3; i++) {
            drive(1, 1, () -> sql.fetch(SqlFloor.METRICS, six, options.yearTimeoutSeconds).rows(), ordered, null);
            drive(1, 1, () -> sql.fetch(unordered, six, options.yearTimeoutSeconds).rows(), unorderedCell, null);
        }
        line(read.key() + " sql, ORDER BY", String.format(Locale.ROOT, "with (as the normalizer) p50 %.0f ms; without"
                + " p50 %.0f ms (c=1, 3 requests each, same rows)", ordered.p(0.5), unorderedCell.p(0.5)));
        Cell cell = new Cell();
        long[] groups = new long[1];
        drive(1, 1, () -> sql.count(grouped, params, options.yearTimeoutSeconds), new Cell(), null);
        drive(1, 5, () -> groups[0] = sql.count(grouped, params, options.yearTimeoutSeconds), cell, null);
        line(read.key() + " SQL GROUP BY day", String.format(Locale.ROOT, "%,d (day, source, device) groups in p50 %.0f"
                + " ms (c=1, 5 requests): PostgreSQL aggregating instead of shipping every row", groups[0], cell.p(0.5)));
        // A rollup: the same groups kept in a table, read by (user, metric, day).
        try (Statement statement = db.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS pg_temp.read_bench_rollup");
            statement.execute("CREATE TEMP TABLE read_bench_rollup AS SELECT user_id, metric, local_date, source, device,"
                    + " sum(value) AS total, min(value) AS low, max(value) AS high, count(*) AS n FROM " + TABLE
                    + " WHERE user_id = '" + userId + "' GROUP BY 1, 2, 3, 4, 5");
            statement.execute("CREATE INDEX ON read_bench_rollup (user_id, metric, local_date)");
            statement.execute("ANALYZE read_bench_rollup");
        }
        Cell rollup = new Cell();
        long[] rows = new long[1];
        try (PreparedStatement statement = db.prepareStatement("SELECT local_date, source, device, total, low, high, n"
                + " FROM read_bench_rollup WHERE user_id = ? AND metric = ? AND local_date BETWEEN ? AND ?")) {
            statement.setString(1, userId);
            statement.setString(2, read.metric());
            statement.setObject(3, LocalDate.ofInstant(windowFrom, ZoneOffset.UTC));
            statement.setObject(4, LocalDate.ofInstant(windowTo, ZoneOffset.UTC));
            drive(1, 300, () -> {
                long n = 0;
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        n++;
                    }
                }
                rows[0] = n;
                return n;
            }, rollup, null);
        }
        line(read.key() + " rollup read", String.format(Locale.ROOT, "%,d rows of a per-(day, source, device) rollup"
                + " in p50 %.2f / p99 %.2f ms (JDBC, c=1)", rows[0], rollup.p(0.5), rollup.p(0.99)));
    }

    private void gcSummary() {
        if (gcLog == null) {
            return;
        }
        try {
            List<String> lines = new ArrayList<>();
            String glob = gcLog.getFileName().toString().replace("%p", "*");
            try (var files = Files.newDirectoryStream(options.logDir, glob)) {
                for (Path file : files) {
                    lines.addAll(Files.readAllLines(file));
                }
            }
            double pauses = 0;
            int count = 0;
            int full = 0;
            for (String l : lines) {
                int ms = l.lastIndexOf("ms");
                if (l.contains("Pause") && ms > 0) {
                    String[] parts = l.substring(0, ms).trim().split(" ");
                    try {
                        pauses += Double.parseDouble(parts[parts.length - 1]);
                        count++;
                        if (l.contains("Pause Full")) {
                            full++;
                        }
                    } catch (NumberFormatException e) {
                        // not a pause line
                    }
                }
            }
            line("normalizer GC (whole run)", String.format(Locale.ROOT, "%d pauses (%d full), %.1f s paused in all,"
                    + " %d launches (-Xmx%s; %s)", count, full, pauses / 1000, normalizerLaunches, options.xmx, gcLog));
        } catch (IOException e) {
            line("normalizer GC", "? " + e.getMessage());
        }
    }

    /** With --jfr: where a service's CPU samples were, by the deepest Healthmesh frame and by the top frame. */
    private void profile(String title, Path jfrFile) {
        section(title);
        Map<String, Integer> byOwn = new HashMap<>();
        Map<String, Integer> byTop = new HashMap<>();
        int total = 0;
        try (RecordingFile recording = new RecordingFile(jfrFile)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (!"jdk.ExecutionSample".equals(event.getEventType().getName()) || event.getStackTrace() == null) {
                    continue;
                }
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                total++;
                RecordedFrame top = frames.get(0);
                byTop.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
                String owner = "(no Healthmesh frame: " + category(frames) + ")";
                for (RecordedFrame frame : frames) {
                    String type = frame.getMethod().getType().getName();
                    if (type.startsWith("io.healthmesh.")) {
                        owner = type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName()
                                + " <- " + category(frames);
                        break;
                    }
                }
                byOwn.merge(owner, 1, Integer::sum);
            }
        } catch (IOException e) {
            line("profile", "? " + e.getMessage());
            return;
        }
        int all = total;
        line("samples", String.valueOf(total) + " (" + jfrFile + ")");
        System.out.println("  by the deepest io.healthmesh frame <- the top frame's library:");
        byOwn.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(25)
                .forEach(e -> System.out.printf(Locale.ROOT, "    %5.1f %%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
        System.out.println("  by the top frame:");
        byTop.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(20)
                .forEach(e -> System.out.printf(Locale.ROOT, "    %5.1f %%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
    }

    private static String category(List<RecordedFrame> frames) {
        String type = frames.get(0).getMethod().getType().getName();
        for (String[] rule : new String[][] {{"io.vertx.pgclient", "pg client"}, {"io.vertx.sqlclient", "sql client"},
                {"com.fasterxml.jackson", "jackson"}, {"java.time", "java.time"}, {"io.netty", "netty"},
                {"io.vertx", "vertx"}, {"java.util", "java.util"}, {"io.healthmesh", "healthmesh"},
                {"io.quarkus", "quarkus"}, {"org.jboss.resteasy", "resteasy"}, {"java.lang", "java.lang"}}) {
            if (type.startsWith(rule[0])) {
                return rule[1];
            }
        }
        return type;
    }

    // ------------------------------------------------------------------------------------------
    // Clean-up

    private void stopNormalizer() {
        ServiceProcess process = normalizer;
        if (process != null) {
            process.stop();
        }
    }

    private void cleanup() {
        if (!cleaned.compareAndSet(false, true)) {
            return;
        }
        stopNormalizer();
        if (preferences != null) {
            preferences.stop();
        }
        if (sql != null) {
            sql.close();
        }
        timedHttp.close();
        if (options.keep) {
            section("Kept (--keep)");
            line("rows", "user_id = '" + userId + "' in " + LocalStack.TEST_DATABASE + "." + TABLE);
            line("topics", prefix + "* (deploy/local/stack.sh drop-topics " + prefix + ")");
            return;
        }
        section("Clean-up");
        if (loaded) {
            long start = System.nanoTime();
            try (Connection connection = LocalStack.openAdminConnection();
                    PreparedStatement delete = connection.prepareStatement("delete from " + TABLE + " where user_id = ?");
                    PreparedStatement prefs = connection.prepareStatement(
                            "delete from preferences.user_preferences where user_id = ?")) {
                delete.setString(1, userId);
                int deleted = delete.executeUpdate();
                prefs.setString(1, userId);
                int deletedPrefs = prefs.executeUpdate();
                String compacted = NormalizerBench.compact(connection);
                line("rows deleted", String.format(Locale.ROOT, "%,d metric rows and %d preferences row, then %s, in"
                        + " %.1f s", deleted, deletedPrefs, compacted, (System.nanoTime() - start) / 1e9));
                try (Statement size = connection.createStatement(); ResultSet rows = size.executeQuery(
                        "select pg_size_pretty(pg_total_relation_size('" + TABLE + "'))")) {
                    rows.next();
                    line("table size after", rows.getString(1) + " (heap and indexes)");
                }
            } catch (SQLException e) {
                line("rows NOT deleted", e.getMessage() + " -- delete user_id = '" + userId + "' by hand");
            }
        }
        if (topicsCreated) {
            Properties config = new Properties();
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.kafkaBootstrapServers());
            try (Admin admin = Admin.create(config)) {
                List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                        .filter(t -> t.startsWith(prefix)).sorted().toList();
                admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
                List<String> groups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
                        .map(g -> g.groupId()).filter(g -> g.startsWith(prefix)).toList();
                if (!groups.isEmpty()) {
                    admin.deleteConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
                }
                line("topics deleted", topics.size() + " with prefix " + prefix + " (and groups " + groups + ")");
            } catch (Exception e) {
                line("topics NOT deleted", e + " -- deploy/local/stack.sh drop-topics " + prefix);
            }
        }
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException e) {
            // Closing at exit.
        }
    }

    // ------------------------------------------------------------------------------------------
    // Machine and output

    private void printMachine() {
        line("cores (nproc)", String.valueOf(Runtime.getRuntime().availableProcessors()));
        line("CPU", procValue("/proc/cpuinfo", "model name"));
        line("memory", procValue("/proc/meminfo", "MemTotal"));
        line("OS", procValue("/etc/os-release", "PRETTY_NAME").replace("\"", "") + ", kernel "
                + System.getProperty("os.version"));
        line("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (bench and services)");
        try {
            line("PostgreSQL", scalarString("select version()") + "; shared_buffers " + scalarString("show shared_buffers")
                    + ", work_mem " + scalarString("show work_mem") + ", jit " + scalarString("show jit"));
        } catch (SQLException e) {
            line("PostgreSQL", "? " + e.getMessage());
        }
        line("normalizer", options.normalizerJar + " (" + modified(options.normalizerJar) + "), -Xmx" + options.xmx
                + ", healthmesh.read.max-points " + options.maxPoints);
        line("preferences-service", options.preferencesJar + " (" + modified(options.preferencesJar) + "), -Xmx256m");
        line("SQL floor", "Vert.x " + io.vertx.core.impl.launcher.commands.VersionCommand.getVersion()
                + " reactive PG client in the bench JVM, pool " + options.sqlPool
                + " (the normalizer's Quarkus default), prepared statements cached");
        line("HTTP client", "Vert.x HttpClient in the bench JVM (keep-alive, a connection per closed-loop client),"
                + " the body read to its end and counted (not gathered); the JDK HttpClient took about 2.5 ms longer per 862 kB answer");
    }

    private static String modified(Path jar) {
        try {
            return "built " + Files.getLastModifiedTime(jar).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (IOException e) {
            return "?";
        }
    }

    private static String procValue(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(l.contains(":") ? ':' : '=') + 1).trim())
                    .findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private String tableSize() throws SQLException {
        return scalarString("select 'heap ' || pg_size_pretty(pg_table_size('" + TABLE + "')) || ', indexes '"
                + " || pg_size_pretty(pg_indexes_size('" + TABLE + "'))");
    }

    private long scalarLong(String sqlText) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sqlText)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private String scalarString(String sqlText) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sqlText)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }

    private static void line(String label, String value) {
        System.out.printf(Locale.ROOT, "  %-26s %s%n", label, value);
    }

    // ------------------------------------------------------------------------------------------
    // Options

    static final class Options {
        LocalDate firstDay = LocalDate.parse("2025-01-01");
        int days = 365;
        LocalDate day = LocalDate.parse("2025-06-16");
        String reuseUser;
        long seed = 42;
        List<Integer> concurrency = List.of(1, 8, 32);
        int dayRequests = 300;
        List<Integer> yearRequests = List.of(4, 8, 32);
        int rounds = 2;
        int warmupDay = 1500;
        int warmupYear = 4;
        int yearViewRequests = 300;
        long yearTimeoutSeconds = 600;
        List<String> reads = List.of("day-hr", "day-steps", "year-steps", "year-hr");
        Path normalizerJar = Path.of("normalizer-service/target/quarkus-app/quarkus-run.jar");
        Path preferencesJar = Path.of("preferences-service/target/quarkus-app/quarkus-run.jar");
        Path logDir = Path.of("benchmarks/target/bench-logs");
        String xmx = "1g";
        int maxPoints = 50_000;
        int sqlPool = 20;
        boolean jfr;
        boolean keep;
        List<String> jvmOptions = new ArrayList<>();
        Map<String, String> properties = new TreeMap<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--first-day" -> o.firstDay = LocalDate.parse(args[++i]);
                    case "--days" -> o.days = Integer.parseInt(args[++i]);
                    case "--day" -> o.day = LocalDate.parse(args[++i]);
                    case "--seed" -> o.seed = Long.parseLong(args[++i]);
                    case "--concurrency" -> o.concurrency = ints(args[++i]);
                    case "--day-requests" -> o.dayRequests = Integer.parseInt(args[++i]);
                    case "--year-requests" -> o.yearRequests = ints(args[++i]);
                    case "--year-view-requests" -> o.yearViewRequests = Integer.parseInt(args[++i]);
                    case "--rounds" -> o.rounds = Integer.parseInt(args[++i]);
                    case "--warmup-day" -> o.warmupDay = Integer.parseInt(args[++i]);
                    case "--warmup-year" -> o.warmupYear = Integer.parseInt(args[++i]);
                    case "--year-timeout-s" -> o.yearTimeoutSeconds = Long.parseLong(args[++i]);
                    case "--reads" -> o.reads = List.of(args[++i].split(","));
                    case "--normalizer-jar" -> o.normalizerJar = Path.of(args[++i]);
                    case "--preferences-jar" -> o.preferencesJar = Path.of(args[++i]);
                    case "--log-dir" -> o.logDir = Path.of(args[++i]);
                    case "--xmx" -> o.xmx = args[++i];
                    case "--max-points" -> o.maxPoints = Integer.parseInt(args[++i]);
                    case "--sql-pool" -> o.sqlPool = Integer.parseInt(args[++i]);
                    case "--jfr" -> o.jfr = true;
                    case "--keep" -> o.keep = true;
                    case "--reuse-user" -> o.reuseUser = args[++i];
                    case "--jvm-opt" -> o.jvmOptions.add(args[++i]);
                    case "--prop" -> {
                        String pair = args[++i];
                        int eq = pair.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--prop needs key=value, got " + pair);
                        }
                        o.properties.put(pair.substring(0, eq), pair.substring(eq + 1));
                        if (pair.startsWith("healthmesh.read.max-points=")) {
                            o.maxPoints = Integer.parseInt(pair.substring(eq + 1));
                        }
                    }
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        return null;
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + USAGE);
                }
            }
            if (o.day.isBefore(o.firstDay) || !o.day.isBefore(o.firstDay.plusDays(o.days))) {
                throw new IllegalArgumentException("--day must be one of the loaded days");
            }
            for (String read : o.reads) {
                if (!List.of("day-hr", "day-steps", "year-steps", "year-hr").contains(read)) {
                    throw new IllegalArgumentException("Unknown read " + read + "\n" + USAGE);
                }
            }
            return o;
        }

        private static List<Integer> ints(String list) {
            return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
        }

        static final String USAGE = """
                ReadBench [options]   (run from the repository root; see benchmarks/README.md)
                  --days N                days of minute data loaded (365), from --first-day (2025-01-01)
                  --day DATE              the day of the one-day raw reads (2025-06-16)
                  --reads LIST            day-hr,day-steps,year-steps,year-hr (all)
                  --concurrency LIST      closed-loop clients per cell (1,8,32)
                  --day-requests N        requests per day-read cell and variant (300)
                  --year-requests LIST    requests of the sql variant per year-read cell, per concurrency (4,8,32)
                  --year-view-requests N  requests of the resolved and all variants per year-read cell (300;
                                          they come from the day cache)
                  --rounds R              each day-read cell's requests in R rounds, the variants in turn (2);
                                          year-read cells run in one round
                  --warmup-day N, --warmup-year N   warm-up requests per read and variant (1500, 4: the latter
                                          for a year's sql only); with 300 the
                                          services' per-request code was still cold (a policy GET cost
                                          preferences-service 3 ms of CPU, 1 ms warm)
                  --year-timeout-s S      per-request timeout of year reads (600)
                  --xmx SIZE              normalizer heap (1g)
                  --jvm-opt OPT           extra normalizer JVM option, repeatable
                  --prop key=value        extra normalizer configuration as a system property, repeatable
                  --sql-pool N            the SQL floor's pool size (20, the normalizer's)
                  --jfr                   record the normalizer and preferences-service with JFR, print where their CPU went
                  --keep                  keep the rows, the preferences row and the topics
                  --reuse-user ID         measure the rows a --keep run left for user ID instead of loading
                                          (same --days and --first-day); they are deleted at the end unless --keep
                  --normalizer-jar, --preferences-jar PATH, --log-dir DIR
                """;
    }
}
