package io.healthmesh.bench;

import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.testsupport.LocalStack;
import io.healthmesh.testsupport.ServiceProcess;
import io.healthmesh.testsupport.TestKafka;
import io.healthmesh.testsupport.TestTopics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Throughput of the normalizer's consume -> durable rows path, against the write floor of the
 * same table, in one run on the real local stack. Prints figures; asserts nothing.
 *
 * <ol>
 *   <li>Preload: N synthetic readings ({@link ReadingMix}) on fresh raw topics (acks=all, lz4,
 *       keyed by userId).</li>
 *   <li>First pass: start the packaged normalizer, measure from its first offset commit to the
 *       commit of the end offsets (rows are durable before their offsets are committed), then check
 *       the row count equals N.</li>
 *   <li>Replay: stop it, rewind its group to the beginning, fingerprint the rows (id, xmin),
 *       restart, measure the same way, and count the rows the replay wrote.</li>
 *   <li>Floor: the same N rows under other user ids through JDBC batches of INSERT .. ON CONFLICT
 *       DO UPDATE with reWriteBatchedInserts=true, one connection.</li>
 * </ol>
 *
 * Every run uses a fresh topic prefix and fresh user ids ({@code bench-<tag>-p-u*} for the pipeline,
 * {@code bench-<tag>-f-u*} for the floor) in {@code healthmesh_test}; its rows, topics and consumer
 * group are removed at the end (also on Ctrl-C), unless {@code --keep}.
 */
public final class NormalizerBench {

    private static final String SCHEMA_TABLE = "normalizer.unified_metric";
    private static final long POLL_MILLIS = 50;

    private final Options options;
    private final String prefix = TestTopics.freshPrefix();
    private final String tag = String.format("%08x", new SecureRandom().nextInt());
    private final String pipelineUsers = "bench-" + tag + "-p-";
    private final String floorUsers = "bench-" + tag + "-f-";
    private final String group = prefix + "normalizer";
    private final List<String> rawTopics = Topics.RAW_TOPICS.stream().map(t -> prefix + t).toList();
    private final ReadingMix mix;
    private final CpuMeter cpu = new CpuMeter();
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private final Map<String, String> summary = new LinkedHashMap<>();
    private Admin admin;
    private TestKafka testKafka;
    private Connection db;
    private volatile ServiceProcess running;
    private boolean topicsCreated;

    private NormalizerBench(Options options) {
        this.options = options;
        this.mix = new ReadingMix(options.users, options.seed,
                OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS), tag);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options == null) {
            return;
        }
        NormalizerBench bench = new NormalizerBench(options);
        Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanup, "bench-cleanup"));
        try {
            bench.run();
        } finally {
            bench.cleanup();
        }
    }

    private void run() throws Exception {
        Path jar = options.jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the normalizer first"
                    + " (./mvnw -pl normalizer-service -am package -DskipTests) or use run-normalizer-bench.sh");
        }
        Files.createDirectories(options.logDir);
        db = LocalStack.openAdminConnection();
        db.setAutoCommit(true);
        Properties adminConfig = new Properties();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.kafkaBootstrapServers());
        admin = Admin.create(adminConfig);
        testKafka = new TestKafka(LocalStack.kafkaBootstrapServers());

        section("Normalizer throughput benchmark");
        printMachine(jar);
        line("N (readings = rows)", String.format(Locale.ROOT, "%,d over %d users", options.readings, options.users));
        line("run tag / topic prefix", tag + " / " + prefix + " (group " + group + ")");
        line("database", LocalStack.TEST_DATABASE + " table " + SCHEMA_TABLE + ", users " + pipelineUsers + "* and "
                + floorUsers + "*");
        line("logs", options.logDir.toAbsolutePath().toString());

        TestTopics.createAll(LocalStack.kafkaBootstrapServers(), prefix);
        topicsCreated = true;
        long rowsBefore = scalarLong("select count(*) from " + SCHEMA_TABLE);
        String sizeBefore = tableSize();
        String compacted = compact(db);
        line("table before the run", String.format(Locale.ROOT, "%,d rows; %s; after %s: %s", rowsBefore, sizeBefore,
                compacted, tableSize()));

        Result floor = null;
        if (options.floor && options.floorFirst) {
            floor = floor();
        }
        preload();
        Result first = pass("first pass", true);
        Result replay = null;
        if (options.replay) {
            replay = replay();
        }
        if (options.floor && !options.floorFirst) {
            floor = floor();
        }

        section("Summary");
        Map<String, String> details = new LinkedHashMap<>(summary);
        summary.clear();
        summary.put("N", String.format(Locale.ROOT, "%,d readings = rows, %d users", options.readings, options.users));
        summary.put("pipeline_rows_per_s", fmt(first.rate));
        if (replay != null) {
            summary.put("replay_rows_per_s", fmt(replay.rate));
        }
        if (floor != null) {
            summary.put("floor_rows_per_s", fmt(floor.rate));
            summary.put("pipeline_to_floor", String.format(Locale.ROOT, "%.2f (target >= 0.70)", first.rate / floor.rate));
            BenchFigures.ratio("pipeline", "raw readings -> durable rows, first pass", first.rate, "rows/s",
                    "JDBC batch upsert", floor.rate, first.rate / floor.rate, ">= 0.70", first.rate / floor.rate >= 0.70);
        }
        if (replay != null) {
            summary.put("replay_to_first_pass", String.format(Locale.ROOT, "%.2f (target >= 1.0)", replay.rate / first.rate));
            BenchFigures.ratio("pipeline", "replay of the same topics", replay.rate, "rows/s", "first pass", first.rate,
                    replay.rate / first.rate, ">= 1.0", replay.rate / first.rate >= 1.0);
        }
        summary.putAll(details);
        summary.put("normalizer_config", String.join(" ", jvmOptions())
                + (extraEnvironment().isEmpty() ? "" : " env " + extraEnvironment()));
        summary.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-26s %s%n", k, v));
    }

    // ------------------------------------------------------------------------------------------
    // Steps

    private void preload() throws Exception {
        section("1. Preload (not the measured figure)");
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.kafkaBootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // As the services' producers (service-commons): lz4, short linger; bigger batches for a bulk load.
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        Map<String, Integer> perTopic = new TreeMap<>();
        long bytes = 0;
        CpuMeter.Sample cpuStart = cpu.sample(-1);
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < options.readings; i++) {
                ReadingMix.Generated reading = mix.reading(pipelineUsers, i);
                byte[] value = EventJson.write(reading.envelope());
                bytes += value.length;
                perTopic.merge(reading.topic(), 1, Integer::sum);
                producer.send(new ProducerRecord<>(prefix + reading.topic(),
                        reading.envelope().userId().getBytes(StandardCharsets.UTF_8), value), (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            } else {
                                acked.incrementAndGet();
                            }
                        });
                if (failure.get() != null) {
                    throw new IllegalStateException("Kafka refused a preload record", failure.get());
                }
            }
            producer.flush();
        }
        long elapsed = System.nanoTime() - start;
        if (failure.get() != null || acked.get() != options.readings) {
            throw new IllegalStateException("Preload incomplete: " + acked.get() + " of " + options.readings
                    + " acknowledged", failure.get());
        }
        long end = endOffsetSum();
        line("produced", String.format(Locale.ROOT, "%,d readings, %.1f MB of JSON (avg %d B), acks=all", options.readings,
                bytes / 1e6, bytes / options.readings));
        line("per raw topic", perTopic.toString());
        line("preload rate", String.format(Locale.ROOT, "%s readings/s (%.1f s)", fmt(options.readings / (elapsed / 1e9)),
                elapsed / 1e9));
        line("end offsets (sum)", String.format(Locale.ROOT, "%,d", end));
        line("cpu", CpuMeter.describe(cpuStart, cpu.sample(-1)));
        if (end != options.readings) {
            throw new IllegalStateException("The raw topics hold " + end + " records, expected " + options.readings);
        }
    }

    private Result replay() throws Exception {
        section("3. Replay (group rewound to the beginning)");
        String[] before = fingerprint();
        String marker = scalarString("select (txid_current() % 4294967296)::text");
        OffsetDateTime markerTime = scalarTime("select now()");
        testKafka.rewindGroup(group, rawTopics);
        line("rows before replay", before[0] + ", md5(id:xmin) " + before[1]);
        Result replay = pass("replay", false);
        String[] after = fingerprint();
        long changed;
        long touched;
        try (PreparedStatement statement = db.prepareStatement("select count(*) filter (where age(xmin) < age(?::xid)),"
                + " count(*) filter (where updated_at >= ?) from " + SCHEMA_TABLE + " where user_id like ?")) {
            statement.setString(1, marker);
            statement.setObject(2, markerTime);
            statement.setString(3, pipelineUsers + "%");
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                changed = rows.getLong(1);
                touched = rows.getLong(2);
            }
        }
        boolean same = before[0].equals(after[0]) && before[1].equals(after[1]);
        line("rows after replay", after[0] + ", md5(id:xmin) " + after[1]);
        line("rows written by the replay", String.format(Locale.ROOT,
                "%d (xmin newer than the replay's start; %d with updated_at after it); (id, xmin) set %s", changed,
                touched, same ? "UNCHANGED" : "CHANGED"));
        summary.put("replay_rows_written", changed + (same ? " (id/xmin fingerprint unchanged)" : " (fingerprint CHANGED)"));
        BenchFigures.limit("pipeline", "rows written by the replay", changed, "rows", "0 (fingerprint unchanged)",
                changed == 0 && same);
        return replay;
    }

    private Result floor() throws SQLException {
        section("4. Floor: JDBC batches of " + options.floorBatch
                + " INSERT .. ON CONFLICT DO UPDATE, reWriteBatchedInserts=true, one connection");
        String url = "jdbc:postgresql://" + LocalStack.pgHost() + ":" + LocalStack.pgPort() + "/"
                + LocalStack.TEST_DATABASE + "?currentSchema=normalizer&reWriteBatchedInserts=true";
        FloorWriter writer = new FloorWriter(url, "normalizer", "normalizer", options.floorBatch);
        CpuMeter.Sample cpuStart = cpu.sample(-1);
        long wallStart = System.nanoTime();
        AtomicReference<CpuMeter.Sample> cpuAtEnd = new AtomicReference<>();
        long nanos = writer.write(mix, floorUsers, options.readings, () -> cpuAtEnd.set(cpu.sample(-1)));
        long wall = System.nanoTime() - wallStart;
        CpuMeter.Sample cpuEnd = cpuAtEnd.get();
        long rows = countRows(floorUsers);
        double rate = options.readings / (nanos / 1e9);
        line("floor", String.format(Locale.ROOT, "%s rows/s (%,d rows in %.1f s of bind+execute+commit; %.1f s wall"
                + " with generating the readings)", fmt(rate), options.readings, nanos / 1e9, wall / 1e9));
        line("rows present", String.format(Locale.ROOT, "%,d", rows));
        line("cpu", CpuMeter.describe(cpuStart, cpuEnd));
        summary.put("floor_method", "JDBC batch " + options.floorBatch + ", reWriteBatchedInserts, commit per batch, "
                + "1 connection, same rows under fresh user ids" + (options.floorFirst ? ", run before the pipeline"
                        : ", run after the pipeline and replay"));
        return new Result(rate);
    }

    /**
     * Starts the normalizer and measures its consumption of the raw topics. The figure is
     * (end offsets - committed at the first commit seen) / (time of the commit of the end offsets -
     * time of the first commit seen), observed every 50 ms; the same method for both passes.
     */
    private Result pass(String name, boolean fresh) throws Exception {
        section((fresh ? "2. " : "") + "Pipeline, " + name);
        long end = endOffsetSum();
        Path log = options.logDir.resolve("normalizer-" + tag + "-" + name.replace(' ', '-') + ".log");
        ServiceProcess process = new ServiceProcess("normalizer-service", options.jar.toAbsolutePath().normalize(),
                ServiceProcess.freePort(),
                jvmOptions().stream().map(o -> o.replace("{pass}", tag + "-" + name.replace(' ', '-'))).toList(),
                environment(), log);
        line("command", String.join(" ", process.command()));
        line("extra configuration", extraProperties() + (extraEnvironment().isEmpty() ? "" : " env " + extraEnvironment()));
        running = process;
        long started = System.nanoTime();
        process.start();
        Long ready = null;
        Long firstRow = null;
        Long firstCommit = null;
        long committedAtFirst = 0;
        Long done = null;
        CpuMeter.Sample cpuFirst = null;
        CpuMeter.Sample cpuDone = null;
        long lastReport = started;
        long lastCommitted = -1;
        long lastProgress = started;
        long deadline = started + TimeUnit.SECONDS.toNanos(options.timeoutSeconds);
        while (done == null) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The normalizer exited during the " + name + "; log tail:\n"
                        + process.logTail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The " + name + " did not catch up in " + options.timeoutSeconds
                        + " s (committed " + committedSum() + " of " + end + "); log tail:\n" + process.logTail(40));
            }
            if (ready == null && process.answersReady()) {
                ready = System.nanoTime();
            }
            if (fresh && firstRow == null && anyRow(pipelineUsers)) {
                firstRow = System.nanoTime();
            }
            long committed = committedSum();
            long now = System.nanoTime();
            if (committed != lastCommitted) {
                lastCommitted = committed;
                lastProgress = now;
            } else if (now - lastProgress > TimeUnit.SECONDS.toNanos(options.stallSeconds)) {
                throw new IllegalStateException("The " + name + " made no progress for " + options.stallSeconds
                        + " s (committed " + committed + " of " + end + ")" + (process.logMentions("OutOfMemoryError")
                                ? "; the normalizer ran OUT OF MEMORY (see its log)" : "") + "; log tail:\n"
                        + process.logTail(40));
            }
            if (firstCommit == null && committed > 0) {
                firstCommit = now;
                committedAtFirst = committed;
                cpuFirst = cpu.sample(process.pid());
            }
            if (committed >= end) {
                done = now;
                cpuDone = cpu.sample(process.pid());
                break;
            }
            if (now - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                lastReport = now;
                System.out.printf(Locale.ROOT, "    ... %5.1f s: committed %,d of %,d%s%n", (now - started) / 1e9,
                        committed, end, firstCommit == null || now == firstCommit ? ""
                                : String.format(Locale.ROOT, " (%s records/s since the first commit)",
                                        fmt((committed - committedAtFirst) / ((now - firstCommit) / 1e9))));
            }
            Thread.sleep(POLL_MILLIS);
        }
        long rows = countRows(pipelineUsers);
        long rowsSeen = System.nanoTime();
        long settle = rowsSeen + TimeUnit.SECONDS.toNanos(30);
        while (fresh && rows < options.readings && System.nanoTime() < settle) {
            Thread.sleep(500);
            rows = countRows(pipelineUsers);
        }
        long dlq = dlqSum();
        process.stop();
        running = null;

        double window = (done - firstCommit) / 1e9;
        double rate = window > 0 ? (end - committedAtFirst) / window : Double.NaN;
        if (Double.isNaN(rate) && ready != null && done > ready) {
            // N so small that the first commit already held everything: count from readiness instead.
            window = (done - ready) / 1e9;
            rate = end / window;
            line("note", "the first commit held every record (N too small): rate counted from readiness");
        }
        line("method", "records/s = (end offsets - committed at the first commit) / (time all end offsets were"
                + " committed - time of the first commit), polled every " + POLL_MILLIS + " ms; rows are"
                + " durable before their offsets are committed");
        line("service start", String.format(Locale.ROOT, "ready after %s s%s", secs(ready, started),
                fresh ? ", first row after " + secs(firstRow, started) + " s" : ""));
        line("first commit / caught up", String.format(Locale.ROOT, "%s s / %s s after start (%,d committed at the"
                + " first commit)", secs(firstCommit, started), secs(done, started), committedAtFirst));
        line(name + " rate", String.format(Locale.ROOT, "%s rows/s over %.1f s", fmt(rate), window));
        if (ready != null && done > ready) {
            line("  from ready / from start", String.format(Locale.ROOT, "%s / %s rows/s", fmt(end / ((done - ready) / 1e9)),
                    fmt(end / ((done - started) / 1e9))));
        }
        line("rows of the bench users", String.format(Locale.ROOT, "%,d (expected %,d)%s", rows, options.readings,
                rows == options.readings ? "" : "  <-- MISMATCH"));
        line("dead letters", String.format(Locale.ROOT, "%,d%s", dlq, dlq == 0 ? "" : "  <-- records were refused"));
        if (cpuFirst != null) {
            line("cpu (measured window)", CpuMeter.describe(cpuFirst, cpuDone));
        }
        line("normalizer log", log.toString());
        return new Result(rate);
    }

    // ------------------------------------------------------------------------------------------
    // Normalizer process settings

    private List<String> jvmOptions() {
        List<String> jvm = new ArrayList<>();
        jvm.add("-Xmx" + options.xmx);
        jvm.addAll(options.jvmOptions);
        extraProperties().forEach((key, value) -> jvm.add("-D" + key + "=" + value));
        return jvm;
    }

    /**
     * Configuration passed as system properties. Environment variables are ambiguous for keys of
     * the channel {@code raw-events} that application.properties does not already set:
     * MP_MESSAGING_INCOMING_RAW_EVENTS_PARTITIONS is read as channel {@code raw} and the service
     * fails to start (SRMSG00071); {@code -Dmp.messaging.incoming.raw-events.partitions=2} is exact.
     */
    private Map<String, String> extraProperties() {
        Map<String, String> extra = new TreeMap<>();
        if (options.commitIntervalMs > 0) {
            // The throttled commit strategy commits every auto.commit.interval.ms (5 s by default);
            // a short interval only sharpens when the end of a pass is seen.
            extra.put("mp.messaging.incoming.raw-events.auto.commit.interval.ms", String.valueOf(options.commitIntervalMs));
        }
        extra.putAll(options.properties);
        return extra;
    }

    private Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("PGHOST", LocalStack.pgHost());
        environment.put("PGPORT", String.valueOf(LocalStack.pgPort()));
        environment.put("HEALTHMESH_DB_NAME", LocalStack.TEST_DATABASE);
        environment.put("QUARKUS_DATASOURCE_PASSWORD", "normalizer");
        environment.put("KAFKA_BOOTSTRAP_SERVERS", LocalStack.kafkaBootstrapServers());
        environment.put("HEALTHMESH_TOPIC_PREFIX", prefix);
        environment.put("HEALTHMESH_SERVICE_SECRET", "bench-" + tag);
        environment.putAll(extraEnvironment());
        return environment;
    }

    /** Environment the run adds for the normalizer (--env). */
    private Map<String, String> extraEnvironment() {
        return new TreeMap<>(options.environment);
    }

    // ------------------------------------------------------------------------------------------
    // Kafka and database helpers

    private long endOffsetSum() throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String topic : rawTopics) {
            for (var partition : admin.describeTopics(Set.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS)
                    .get(topic).partitions()) {
                latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
            }
        }
        return admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
    }

    private long committedSum() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
        return committed.entrySet().stream()
                .filter(e -> e.getValue() != null && rawTopics.contains(e.getKey().topic()))
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    private long dlqSum() throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String topic : rawTopics) {
            latest.put(new TopicPartition(Topics.dlq(topic), 0), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
    }

    /** A cheap probe (index range, C.UTF-8 order) for the first row of the bench users. */
    private boolean anyRow(String users) throws SQLException {
        String upper = users.substring(0, users.length() - 1) + (char) (users.charAt(users.length() - 1) + 1);
        try (PreparedStatement statement = db.prepareStatement("select exists (select 1 from " + SCHEMA_TABLE
                + " where user_id >= ? and user_id < ? and user_id like ?)")) {
            statement.setString(1, users);
            statement.setString(2, upper);
            statement.setString(3, users + "%");
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private long countRows(String users) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement("select count(*) from " + SCHEMA_TABLE
                + " where user_id like ?")) {
            statement.setString(1, users + "%");
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** count and md5 of the (id, xmin) pairs of the pipeline's rows: any write changes it. */
    private String[] fingerprint() throws SQLException {
        try (PreparedStatement statement = db.prepareStatement("select count(*), coalesce(md5(string_agg(id::text"
                + " || ':' || xmin::text, ',' order by id)), '') from " + SCHEMA_TABLE + " where user_id like ?")) {
            statement.setString(1, pipelineUsers + "%");
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new String[] {String.format(Locale.ROOT, "%,d", rows.getLong(1)), rows.getString(2)};
            }
        }
    }

    /**
     * Gives back what deleted bench rows leave behind: about 50 MB of index and 550 MB of heap per
     * million rows, which slowed every following run and would keep the test database at its largest
     * size. VACUUM FULL (a second or two of exclusive lock on the few rows the test database otherwise
     * holds) with a lock timeout, so a test holding the table is never waited for long; if it cannot
     * have the lock, VACUUM ANALYZE and REINDEX CONCURRENTLY, which block no writer.
     */
    static String compact(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET lock_timeout = '5s'");
            try {
                statement.execute("VACUUM (FULL, ANALYZE) " + SCHEMA_TABLE);
                return "VACUUM FULL";
            } catch (SQLException e) {
                statement.execute("VACUUM ANALYZE " + SCHEMA_TABLE);
                statement.execute("REINDEX TABLE CONCURRENTLY " + SCHEMA_TABLE);
                return "VACUUM + REINDEX CONCURRENTLY (no lock for VACUUM FULL: " + e.getMessage() + ")";
            } finally {
                statement.execute("RESET lock_timeout");
            }
        }
    }

    private String tableSize() throws SQLException {
        return scalarString("select 'heap ' || pg_size_pretty(pg_table_size('" + SCHEMA_TABLE + "')) || ', indexes '"
                + " || pg_size_pretty(pg_indexes_size('" + SCHEMA_TABLE + "'))");
    }

    private long scalarLong(String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private String scalarString(String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private OffsetDateTime scalarTime(String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getObject(1, OffsetDateTime.class);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Clean-up: stop the normalizer, delete the bench rows, topics and group

    private void cleanup() {
        if (!cleaned.compareAndSet(false, true)) {
            return;
        }
        ServiceProcess process = running;
        if (process != null) {
            process.stop();
        }
        if (options.keep) {
            section("Kept (--keep)");
            line("rows", "user_id like 'bench-" + tag + "-%' in " + LocalStack.TEST_DATABASE + "." + SCHEMA_TABLE);
            line("topics", prefix + "* (deploy/local/stack.sh drop-topics " + prefix + ")");
        } else {
            section("Clean-up");
            long start = System.nanoTime();
            try (Connection connection = LocalStack.openAdminConnection();
                    PreparedStatement delete = connection.prepareStatement("delete from " + SCHEMA_TABLE
                            + " where user_id like ?")) {
                delete.setString(1, "bench-" + tag + "-%");
                int deleted = delete.executeUpdate();
                String compacted = compact(connection);
                line("rows deleted", String.format(Locale.ROOT, "%,d, then %s, in %.1f s", deleted, compacted,
                        (System.nanoTime() - start) / 1e9));
                try (Statement size = connection.createStatement(); ResultSet rows = size.executeQuery(
                        "select pg_size_pretty(pg_total_relation_size('" + SCHEMA_TABLE + "'))")) {
                    rows.next();
                    line("table size after", rows.getString(1) + " (heap and indexes)");
                }
            } catch (SQLException e) {
                line("rows NOT deleted", e.getMessage() + " -- delete user_id like 'bench-" + tag + "-%' by hand");
            }
            if (topicsCreated) {
                deleteTopics();
            }
        }
        closeQuietly();
    }

    private void deleteTopics() {
        Admin cleaner = admin;
        try {
            if (cleaner == null) {
                Properties config = new Properties();
                config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.kafkaBootstrapServers());
                cleaner = Admin.create(config);
            }
            try {
                cleaner.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // A group that never committed does not exist.
            }
            List<String> topics = cleaner.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(prefix)).sorted().toList();
            cleaner.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
            line("topics deleted", topics.size() + " with prefix " + prefix + " (and group " + group + ")");
        } catch (Exception e) {
            line("topics NOT deleted", e + " -- deploy/local/stack.sh drop-topics " + prefix);
        } finally {
            if (cleaner != admin) {
                cleaner.close();
            }
        }
    }

    private void closeQuietly() {
        try {
            if (testKafka != null) {
                testKafka.close();
            }
            if (admin != null) {
                admin.close(java.time.Duration.ofSeconds(5));
            }
            if (db != null) {
                db.close();
            }
        } catch (Exception e) {
            // Closing at exit.
        }
    }

    // ------------------------------------------------------------------------------------------
    // Machine and output

    private void printMachine(Path jar) {
        line("cores (nproc)", String.valueOf(Runtime.getRuntime().availableProcessors()));
        line("CPU", procValue("/proc/cpuinfo", "model name"));
        line("memory", procValue("/proc/meminfo", "MemTotal"));
        line("OS", procValue("/etc/os-release", "PRETTY_NAME").replace("\"", "") + ", kernel "
                + System.getProperty("os.version"));
        line("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (bench and normalizer)");
        try {
            line("PostgreSQL", scalarString("select version()") + "; shared_buffers "
                    + scalarString("show shared_buffers") + ", synchronous_commit "
                    + scalarString("show synchronous_commit"));
        } catch (SQLException e) {
            line("PostgreSQL", "? " + e.getMessage());
        }
        line("Kafka", LocalStack.kafkaBootstrapServers() + ", raw topics with "
                + Topics.all().stream().filter(t -> Topics.RAW_TOPICS.contains(t.name())).findFirst()
                        .map(t -> t.partitions() + " partitions each").orElse("?"));
        line("normalizer jar", jar + " (" + modified(jar) + ")");
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

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }

    private static void line(String label, String value) {
        System.out.printf(Locale.ROOT, "  %-26s %s%n", label, value);
    }

    private static String fmt(double rate) {
        return Double.isNaN(rate) ? "n/a" : String.format(Locale.ROOT, "%,.0f", rate);
    }

    private static String secs(Long at, long start) {
        return at == null ? "?" : String.format(Locale.ROOT, "%.2f", (at - start) / 1e9);
    }

    private record Result(double rate) {
    }

    // ------------------------------------------------------------------------------------------
    // Options

    static final class Options {
        int readings = 1_000_000;
        int users = 100;
        long seed = 42;
        Path jar = Path.of("normalizer-service/target/quarkus-app/quarkus-run.jar");
        Path logDir = Path.of("benchmarks/target/bench-logs");
        String xmx = "512m";
        List<String> jvmOptions = new ArrayList<>();
        Map<String, String> environment = new TreeMap<>();
        Map<String, String> properties = new TreeMap<>();
        int commitIntervalMs = 250;
        int floorBatch = 1000;
        boolean replay = true;
        boolean floor = true;
        boolean floorFirst;
        boolean keep;
        long timeoutSeconds = 1800;
        long stallSeconds = 120;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--readings" -> o.readings = Integer.parseInt(args[++i].replace("_", "").replace(",", ""));
                    case "--users" -> o.users = Integer.parseInt(args[++i]);
                    case "--seed" -> o.seed = Long.parseLong(args[++i]);
                    case "--jar" -> o.jar = Path.of(args[++i]);
                    case "--log-dir" -> o.logDir = Path.of(args[++i]);
                    case "--xmx" -> o.xmx = args[++i];
                    case "--jvm-opt" -> o.jvmOptions.add(args[++i]);
                    case "--env" -> {
                        String pair = args[++i];
                        int eq = pair.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--env needs NAME=VALUE, got " + pair);
                        }
                        o.environment.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                    case "--prop" -> {
                        String pair = args[++i];
                        int eq = pair.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--prop needs key=value, got " + pair);
                        }
                        o.properties.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                    case "--commit-interval-ms" -> o.commitIntervalMs = Integer.parseInt(args[++i]);
                    case "--floor-batch" -> o.floorBatch = Integer.parseInt(args[++i]);
                    case "--no-replay" -> o.replay = false;
                    case "--no-floor" -> o.floor = false;
                    case "--floor-first" -> o.floorFirst = true;
                    case "--keep" -> o.keep = true;
                    case "--timeout-s" -> o.timeoutSeconds = Long.parseLong(args[++i]);
                    case "--stall-s" -> o.stallSeconds = Long.parseLong(args[++i]);
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        return null;
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + USAGE);
                }
            }
            if (o.readings < 1 || o.users < 1) {
                throw new IllegalArgumentException("--readings and --users must be positive");
            }
            return o;
        }

        static final String USAGE = """
                NormalizerBench [options]   (run from the repository root; see benchmarks/README.md)
                  --readings N            readings = rows (1000000)
                  --users U               distinct users, readings keyed by userId (100)
                  --jar PATH              normalizer quarkus-run.jar (normalizer-service/target/quarkus-app/quarkus-run.jar)
                  --xmx SIZE              normalizer heap (512m)
                  --jvm-opt OPT           extra normalizer JVM option, repeatable; {pass} is replaced by
                                          <run tag>-first-pass / -replay (e.g. a JFR file name per pass)
                  --prop key=value        extra normalizer configuration as a system property, repeatable
                                          (e.g. mp.messaging.incoming.raw-events.partitions=2)
                  --env NAME=VALUE        extra normalizer environment, repeatable (only for keys that
                                          application.properties sets: MP_MESSAGING_INCOMING_RAW_EVENTS_MAX_POLL_RECORDS=5000)
                  --commit-interval-ms M  normalizer offset commit interval (250; 0 = the service's 5 s default)
                  --floor-batch B         floor JDBC batch size (1000)
                  --no-replay, --no-floor skip a step
                  --floor-first           write the floor before the pipeline instead of after
                  --keep                  keep rows, topics and group (for inspection)
                  --timeout-s S           give up a pass after S seconds (1800)
                  --stall-s S             give up a pass when its committed offsets stand still for S seconds (120)
                  --log-dir DIR           normalizer logs (benchmarks/target/bench-logs)
                """;
    }
}
