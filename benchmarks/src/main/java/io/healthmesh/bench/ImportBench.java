package io.healthmesh.bench;

import com.fasterxml.aalto.stax.InputFactoryImpl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.imports.apple.AppleExportHandler;
import io.healthmesh.imports.apple.AppleExportParser;
import io.healthmesh.imports.apple.ParseSummary;
import io.healthmesh.imports.archive.ArchiveLimits;
import io.healthmesh.imports.archive.ExportArchive;
import io.healthmesh.imports.archive.ExportStream;
import io.healthmesh.imports.messaging.RawEventPublisher;
import io.healthmesh.testsupport.LocalStack;
import io.healthmesh.testsupport.ServiceProcess;
import io.healthmesh.testsupport.TestTopics;
import io.healthmesh.testsupport.apple.SyntheticExport;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The Apple Health import, each figure beside a floor measured in the same run on the same file:
 *
 * <ol>
 *   <li>A synthetic export.xml of the asked size ({@link SyntheticExport#writeRealisticXml}, a Watch
 *       wearer's mix) and its export.zip, generated once into {@code benchmarks/target/import-bench/}.</li>
 *   <li>In process: floor A, a bare Aalto StAX scan reading every attribute; then the importer's
 *       {@link AppleExportParser} with a handler that only counts (parse + map), from the plain file
 *       and from the zip, each through {@link ExportArchive} as the service opens uploads. Each twice,
 *       the best kept.</li>
 *   <li>Floor B: a plain KafkaProducer configured as the service's RawEventPublisher sending the events
 *       the parser makes of this file (EventJson, keyed by user) to a fresh topic with the partitions of
 *       raw.apple-health.v1; the events are made untimed in chunks, the timed part is serialize + send +
 *       flush of each chunk.</li>
 *   <li>The packaged file-import-service as a process (prod profile, configured through the
 *       environment, its own database and topic prefix), the file uploaded through its API, polled
 *       until the job leaves {@code parsing}, VmRSS sampled every 200 ms; then the same with the zip,
 *       in a fresh process.</li>
 * </ol>
 *
 * Prints figures and asserts nothing. Its database, topics and uploads are removed at the end (also
 * on Ctrl-C) unless {@code --keep}; the generated exports are kept for the next run.
 */
public final class ImportBench {

    /** Changes when the generated file would: a stored export of another mix is regenerated. */
    private static final String MIX = "realistic-1";
    private static final double MB = 1e6;
    private static final long RSS_SAMPLE_MILLIS = 200;
    private static final long POLL_MILLIS = 250;
    private static final double RATIO_TARGET = 0.70;
    private static final double RSS_TARGET_MB = 150;
    private static final ArchiveLimits LIMITS = new ArchiveLimits(ArchiveLimits.DEFAULT_MAX_ENTRIES,
            ArchiveLimits.DEFAULT_MAX_UNCOMPRESSED_BYTES, ArchiveLimits.DEFAULT_MAX_COMPRESSION_RATIO);
    private static final String IMPORTS_ROLE = "imports";

    private final Options options;
    private final String tag = String.format("%08x", new SecureRandom().nextInt());
    private final String prefix = TestTopics.freshPrefix();
    private final String secret = "bench-" + UUID.randomUUID();
    private final String database;
    private final String rawTopic;
    private final CpuMeter cpu = new CpuMeter();
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<UUID> jobIds = new ArrayList<>();
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private final CpuMeter.Sample runStart;
    private final long runStartNanos = System.nanoTime();
    private Admin admin;
    private volatile ServiceProcess running;
    private boolean topicsCreated;
    private boolean databaseCreated;
    private Path storage;

    private ImportBench(Options options) {
        this.options = options;
        this.database = options.sharedDb ? LocalStack.TEST_DATABASE : "healthmesh_bench_" + tag;
        this.rawTopic = prefix + Topics.RAW_APPLE_HEALTH;
        this.runStart = cpu.sample(-1);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options == null) {
            return;
        }
        ImportBench bench = new ImportBench(options);
        Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanup, "bench-cleanup"));
        try {
            bench.run();
        } finally {
            bench.cleanup();
        }
    }

    private void run() throws Exception {
        section("Apple Health import benchmark");
        printMachine();
        line("run tag / topic prefix", tag + " / " + prefix);
        Export export = prepareExport();

        InProcess inProcess = null;
        if (options.inProcess) {
            inProcess = inProcess(export);
        }
        FloorB floorB = null;
        if (options.floorB) {
            floorB = floorB(export);
        }
        ServiceRun plain = null;
        ServiceRun zip = null;
        if (options.service) {
            prepareService();
            plain = serviceImport("plain export.xml", export.xml, "export.xml", "bench-" + tag + "-xml", export);
            if (options.zip) {
                zip = serviceImport("export.zip", export.zip, "export.zip", "bench-" + tag + "-zip", export);
            }
        }
        summary(export, inProcess, floorB, plain, zip);
    }

    // ------------------------------------------------------------------------------------------
    // 1. The export

    private record Export(Path xml, Path zip, long days, long xmlBytes, long zipBytes, long records, long topLevel) {
    }

    private Export prepareExport() throws IOException {
        section("1. The export");
        long target = Math.round(options.gb * 1e9);
        Path dir = options.dir.resolve(String.format(Locale.ROOT, "%.2fgb", options.gb));
        Path xml = dir.resolve("export.xml");
        Path zip = dir.resolve("export.zip");
        Path meta = dir.resolve("export.properties");
        long days = SyntheticExport.realisticDaysFor(target);
        Properties stored = new Properties();
        if (Files.isRegularFile(meta)) {
            try (Reader in = Files.newBufferedReader(meta)) {
                stored.load(in);
            }
        }
        boolean reuse = !options.regenerate && MIX.equals(stored.getProperty("mix"))
                && String.valueOf(days).equals(stored.getProperty("days")) && Files.isRegularFile(xml)
                && Files.isRegularFile(zip) && String.valueOf(Files.size(xml)).equals(stored.getProperty("xmlBytes"))
                && String.valueOf(Files.size(zip)).equals(stored.getProperty("zipBytes"));
        if (reuse) {
            line("files", "reused " + dir + " (same mix, days and sizes as generated "
                    + stored.getProperty("generated") + ")");
        } else {
            Files.createDirectories(dir);
            Files.deleteIfExists(meta);
            Path partial = dir.resolve("export.xml.partial");
            long start = System.nanoTime();
            SyntheticExport.writeRealisticXml(partial, days);
            Files.move(partial, xml, StandardCopyOption.REPLACE_EXISTING);
            long xmlDone = System.nanoTime();
            SyntheticExport.zipExport(xml, zip);
            long zipDone = System.nanoTime();
            line("files", String.format(Locale.ROOT, "generated into %s: export.xml in %.1f s, export.zip in %.1f s", dir,
                    (xmlDone - start) / 1e9, (zipDone - xmlDone) / 1e9));
            Properties written = new Properties();
            written.setProperty("mix", MIX);
            written.setProperty("days", String.valueOf(days));
            written.setProperty("xmlBytes", String.valueOf(Files.size(xml)));
            written.setProperty("zipBytes", String.valueOf(Files.size(zip)));
            written.setProperty("generated", OffsetDateTime.now(ZoneOffset.UTC).withNano(0).toString());
            try (Writer out = Files.newBufferedWriter(meta)) {
                written.store(out, "ImportBench export (SyntheticExport realistic mix)");
            }
        }
        Export export = new Export(xml, zip, days, Files.size(xml), Files.size(zip),
                SyntheticExport.realisticRecordsFor(days), SyntheticExport.realisticTopLevelElementsFor(days));
        line("export.xml", String.format(Locale.ROOT, "%,d bytes (%.2f GB, asked %.2f GB): %,d days (%.1f years)",
                export.xmlBytes, export.xmlBytes / 1e9, options.gb, days, days / 365.25));
        line("records", String.format(Locale.ROOT, "%,d Record elements + %,d Workouts + %,d ActivitySummaries = %,d"
                + " top-level elements (with ExportDate and Me)", export.records, SyntheticExport.realisticWorkoutsFor(days),
                days, export.topLevel));
        line("mix", "per day: heart rate 360 (+240 in a workout), active energy 480, basal energy 360, steps 2x72,"
                + " distance 2x72, 25 sleep records, 80 not imported (audio exposure, walking speed), ~70 others;"
                + " a workout 6 days of 7; an ActivitySummary");
        line("export.zip", String.format(Locale.ROOT, "%,d bytes (%.1fx compressed), export.xml as"
                + " apple_health_export/export.xml", export.zipBytes, (double) export.xmlBytes / export.zipBytes));
        return export;
    }

    // ------------------------------------------------------------------------------------------
    // 2. In process: floor A, parse + map, from the zip

    private record Timed(long nanos, long records, CpuMeter.Sample from, CpuMeter.Sample to) {
        double seconds() {
            return nanos / 1e9;
        }

        /** CPU seconds of the bench process (the parsing thread, GC and JIT) over the run. */
        double cpuSeconds() {
            return to.bench() - from.bench();
        }
    }

    /** Best (shortest) run of each, and the least bench CPU any run of each used. */
    private record InProcess(Timed floorA, Timed plain, Timed zip, ParseSummary summary, long events,
            double floorACpu, double plainCpu) {
    }

    private InProcess inProcess(Export export) throws Exception {
        section("2. In process (bench JVM " + jvmSummary() + "): floor A and the importer's parser, best of "
                + options.runs);
        line("floor A", "Aalto " + aaltoVersion() + " StAX over a 64 KB BufferedInputStream, every attribute's name and"
                + " value read, no mapping (the importer's factory settings: no DTD, no namespaces)");
        line("parse + map", "AppleExportParser over ExportArchive.open(file) as the service does, handler counts only;"
                + " no home zone; two threads (ExportScanner reads the XML, the calling thread maps), floor A one");
        Timed bestA = null;
        Timed bestPlain = null;
        Timed bestZip = null;
        ParseSummary summary = null;
        long events = 0;
        double floorACpu = Double.MAX_VALUE;
        double plainCpu = Double.MAX_VALUE;
        for (int run = 1; run <= options.runs; run++) {
            Timed a = floorA(export.xml);
            printRun("floor A", run, a, export.xmlBytes);
            bestA = best(bestA, a);
            floorACpu = Math.min(floorACpu, a.cpuSeconds());
            CountingHandler counter = new CountingHandler();
            Timed plain = parse(export.xml, counter);
            printRun("parse + map, export.xml", run, plain, export.xmlBytes);
            bestPlain = best(bestPlain, plain);
            plainCpu = Math.min(plainCpu, plain.cpuSeconds());
            summary = counter.summary;
            events = counter.readings + counter.sessions;
            if (options.zip) {
                Timed zip = parse(export.zip, new CountingHandler());
                printRun("parse + map, export.zip", run, zip, export.xmlBytes);
                bestZip = best(bestZip, zip);
            }
        }
        line("records read", String.format(Locale.ROOT, "%,d by floor A, %,d by the parser (expected %,d)%s",
                bestA.records, summary.recordsRead(), export.topLevel,
                summary.recordsRead() == export.topLevel && bestA.records == export.topLevel ? "" : "  <-- MISMATCH"));
        line("events made", String.format(Locale.ROOT, "%,d (%,d readings, %,d sessions), %,d skipped", events,
                summary.readings(), summary.sessions(), summary.skipped()));
        line("skipped", topSkips(summary.skippedByReason()));
        line("best floor A", rates(bestA, export.xmlBytes));
        line("best parse + map", rates(bestPlain, export.xmlBytes) + String.format(Locale.ROOT, " = %.2f of floor A",
                (double) bestA.nanos / bestPlain.nanos));
        if (bestZip != null) {
            line("best from export.zip", rates(bestZip, export.xmlBytes) + String.format(Locale.ROOT,
                    " = %.2f of the plain file", (double) bestPlain.nanos / bestZip.nanos));
        }
        line("least bench CPU", String.format(Locale.ROOT, "floor A %.2f s, parse + map %.2f s = %.2f (the same ratio"
                + " by CPU seconds of the bench process, less sensitive to the other load on the machine)", floorACpu,
                plainCpu, floorACpu / plainCpu));
        return new InProcess(bestA, bestPlain, bestZip, summary, events, floorACpu, plainCpu);
    }

    private Timed floorA(Path xml) throws IOException, XMLStreamException {
        System.gc();
        XMLInputFactory factory = new InputFactoryImpl();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        CpuMeter.Sample from = cpu.sample(-1);
        long start = System.nanoTime();
        long topLevel = 0;
        long sink = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(xml), 64 * 1024)) {
            XMLStreamReader reader = factory.createXMLStreamReader(in);
            int depth = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    if (depth == 2) {
                        topLevel++;
                    }
                    int count = reader.getAttributeCount();
                    for (int i = 0; i < count; i++) {
                        sink += reader.getAttributeLocalName(i).length() + reader.getAttributeValue(i).length();
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
            reader.close();
        }
        long nanos = System.nanoTime() - start;
        CpuMeter.Sample to = cpu.sample(-1);
        if (sink == 42) {
            System.out.print("");
        }
        return new Timed(nanos, topLevel, from, to);
    }

    private Timed parse(Path file, CountingHandler counter) throws Exception {
        System.gc();
        CpuMeter.Sample from = cpu.sample(-1);
        long start = System.nanoTime();
        ParseSummary summary;
        try (ExportStream in = ExportArchive.open(file, LIMITS)) {
            summary = new AppleExportParser(UUID.randomUUID().toString(), null).parse(in, counter);
        }
        long nanos = System.nanoTime() - start;
        CpuMeter.Sample to = cpu.sample(-1);
        counter.summary = summary;
        return new Timed(nanos, summary.recordsRead(), from, to);
    }

    /** Counts what the parser hands over, and nothing else. */
    private static final class CountingHandler implements AppleExportHandler {
        long readings;
        long sessions;
        long skipped;
        ParseSummary summary;

        @Override
        public void reading(Reading reading) {
            readings++;
        }

        @Override
        public void session(Session session) {
            sessions++;
        }

        @Override
        public void skipped(String reason) {
            skipped++;
        }
    }

    // ------------------------------------------------------------------------------------------
    // 3. Floor B: a plain producer sending the same events

    private record FloorB(double rate, long events, double seconds, long jsonBytes, String topic, int partitions,
            CpuMeter.Sample cpu) {
    }

    private FloorB floorB(Export export) throws Exception {
        int partitions = rawPartitions();
        String topic = prefix + "bench.floor-b.apple-health";
        section("3. Floor B: a plain KafkaProducer sending the parser's events of export.xml");
        ensureAdmin();
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        topicsCreated = true;
        Properties config = publisherConfig("bench-floor-b");
        line("producer", "as RawEventPublisher: " + describeProducer(config));
        line("topic", topic + " (" + partitions + " partitions, as " + Topics.RAW_APPLE_HEALTH + "), keyed by user");
        line("method", String.format(Locale.ROOT, "the parser's events (Envelope.reading/session for one user, as"
                + " AppleImportRunner makes them) collected untimed in chunks of %,d; timed: EventJson.write + send of"
                + " each event + flush() at the end of the chunk (every event acknowledged)", options.chunk));
        String user = "bench-" + tag + "-flr";
        String jobId = UUID.randomUUID().toString();
        OffsetDateTime emitted = OffsetDateTime.now(ZoneOffset.UTC);
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acknowledged = new AtomicLong();
        long[] sent = new long[1];
        long[] timed = new long[1];
        long[] bytes = new long[1];
        CpuMeter.Sample[] cpuTotal = {CpuMeter.zero()};
        List<Envelope> chunk = new ArrayList<>(options.chunk);
        long wallStart = System.nanoTime();
        long[] nextReport = {wallStart + TimeUnit.SECONDS.toNanos(15)};
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            Runnable sendChunk = () -> {
                CpuMeter.Sample from = cpu.sample(-1);
                long start = System.nanoTime();
                for (Envelope event : chunk) {
                    byte[] value = EventJson.write(event);
                    bytes[0] += value.length;
                    producer.send(new ProducerRecord<>(topic, event.userId().getBytes(StandardCharsets.UTF_8), value),
                            (metadata, error) -> {
                                if (error == null) {
                                    acknowledged.incrementAndGet();
                                } else {
                                    failure.compareAndSet(null, error);
                                }
                            });
                }
                producer.flush();
                timed[0] += System.nanoTime() - start;
                cpuTotal[0] = CpuMeter.plus(cpuTotal[0], from, cpu.sample(-1));
                sent[0] += chunk.size();
                chunk.clear();
                if (failure.get() != null) {
                    throw new IllegalStateException("Kafka refused a floor B record", failure.get());
                }
                if (System.nanoTime() > nextReport[0]) {
                    nextReport[0] = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                    System.out.printf(Locale.ROOT, "    ... %,d events sent, %s events/s in the timed part%n", sent[0],
                            fmt(sent[0] / (timed[0] / 1e9)));
                }
            };
            AppleExportHandler collect = new AppleExportHandler() {
                @Override
                public void reading(Reading reading) {
                    add(Envelope.reading(user, SourceId.APPLE_HEALTH, reading, emitted));
                }

                @Override
                public void session(Session session) {
                    add(Envelope.session(user, SourceId.APPLE_HEALTH, session, emitted));
                }

                @Override
                public void skipped(String reason) {
                    // Nothing to send.
                }

                private void add(Envelope event) {
                    chunk.add(event);
                    if (chunk.size() == options.chunk) {
                        sendChunk.run();
                    }
                }
            };
            try (ExportStream in = ExportArchive.open(export.xml, LIMITS)) {
                new AppleExportParser(jobId, null).parse(in, collect);
            }
            sendChunk.run();
        }
        long wall = System.nanoTime() - wallStart;
        if (acknowledged.get() != sent[0]) {
            throw new IllegalStateException("floor B: " + acknowledged.get() + " of " + sent[0] + " acknowledged");
        }
        long onTopic = endOffsets(topic);
        double rate = sent[0] / (timed[0] / 1e9);
        line("floor B", String.format(Locale.ROOT, "%s events/s (%,d events in %.1f s timed; %.1f s wall with parsing"
                + " untimed)", fmt(rate), sent[0], timed[0] / 1e9, wall / 1e9));
        line("JSON", String.format(Locale.ROOT, "%.1f MB (avg %d B per event), %s MB/s of JSON", bytes[0] / MB,
                bytes[0] / Math.max(1, sent[0]), fmt(bytes[0] / MB / (timed[0] / 1e9))));
        line("on the topic", String.format(Locale.ROOT, "%,d records (end offsets)%s", onTopic,
                onTopic == sent[0] ? "" : "  <-- MISMATCH"));
        line("cpu (timed chunks)", CpuMeter.describe(CpuMeter.zero(), cpuTotal[0], null));
        return new FloorB(rate, sent[0], timed[0] / 1e9, bytes[0], topic, partitions, cpuTotal[0]);
    }

    /** The producer settings of file-import-service's RawEventPublisher, exactly (its own method). */
    private static Properties publisherConfig(String clientId) {
        return RawEventPublisher.settings(LocalStack.kafkaBootstrapServers(), clientId);
    }

    private static String describeProducer(Properties config) {
        return "acks=" + config.get(ProducerConfig.ACKS_CONFIG) + ", idempotence, "
                + config.get(ProducerConfig.COMPRESSION_TYPE_CONFIG) + ", linger.ms="
                + config.get(ProducerConfig.LINGER_MS_CONFIG) + ", batch.size=" + config.get(ProducerConfig.BATCH_SIZE_CONFIG)
                + ", default buffer.memory, key = userId bytes, value = EventJson.write(envelope)";
    }

    // ------------------------------------------------------------------------------------------
    // 4. The service

    private record ServiceRun(String label, double rate, long sent, Long published, long recordsRead, double seconds,
            double uploadSeconds, long idleRssKb, long rssBeforeGcKb, long peakUploadKb, long peakImportKb, long hwmKb,
            String state, String jvmFlags, double cpuSeconds, int attempts) {
    }

    private void prepareService() throws Exception {
        section("4. file-import-service: setup");
        Path jar = options.jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run benchmarks/run-import-bench.sh, or package"
                    + " file-import-service (./mvnw -Pbench -pl file-import-service,benchmarks -am package -DskipTests)");
        }
        line("service jar", jar + " (built " + Files.getLastModifiedTime(jar).toInstant().truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS) + ")");
        storage = options.dir.resolve("storage-" + tag).toAbsolutePath();
        Files.createDirectories(storage);
        if (options.sharedDb) {
            line("database", database + " (shared: --shared-db; another file-import-service on it may claim the jobs)");
        } else {
            try (Connection connection = LocalStack.openAdminConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + database + " OWNER " + LocalStack.ADMIN_ROLE);
                databaseCreated = true;
            }
            try (Connection connection = DriverManager.getConnection(jdbcUrl(), LocalStack.ADMIN_ROLE,
                    LocalStack.ADMIN_ROLE); Statement statement = connection.createStatement()) {
                statement.execute("GRANT CONNECT, CREATE, TEMPORARY ON DATABASE " + database + " TO " + IMPORTS_ROLE);
                statement.execute("CREATE SCHEMA " + IMPORTS_ROLE + " AUTHORIZATION " + IMPORTS_ROLE);
            }
            line("database", database + " (private to this run, dropped at the end: no other file-import-service"
                    + " can claim its jobs, and it claims nobody else's)");
        }
        TestTopics.createAll(LocalStack.kafkaBootstrapServers(), prefix);
        topicsCreated = true;
        line("topics", "every topic of the map under " + prefix + " (" + rawTopic + ": " + rawPartitions()
                + " partitions)");
        line("storage", storage + " (HEALTHMESH_IMPORTS_STORAGE_DIR)");
        line("service heap", options.xmx == null ? "the JVM's default (no -Xmx)" : "-Xmx" + options.xmx);
    }

    private ServiceRun serviceImport(String label, Path file, String fileName, String user, Export export)
            throws Exception {
        section("4. file-import-service: import of " + label);
        Path log = options.logDir.resolve("file-import-" + tag + "-" + fileName.replace('.', '-') + ".log");
        ServiceProcess process = new ServiceProcess("file-import-service", options.jar.toAbsolutePath().normalize(),
                ServiceProcess.freePort(), serviceJvmOptions(), serviceEnvironment(), log);
        running = process;
        long started = System.nanoTime();
        process.start();
        process.awaitReady(Duration.ofSeconds(120));
        long pid = process.pid();
        line("command", String.join(" ", process.command()) + "  (pid " + pid + ", ready after "
                + String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - started) / 1e9) + ")");
        String flags = jcmd(pid, "VM.flags").replaceAll("^\\d+:\\s*", "").trim();
        line("JVM flags (VM.flags)", flags);
        line("log", log.toString());

        Thread.sleep(5_000);
        long beforeGc = rssKb(pid);
        jcmd(pid, "GC.run");
        Thread.sleep(3_000);
        long[] idleSamples = new long[5];
        for (int i = 0; i < idleSamples.length; i++) {
            idleSamples[i] = rssKb(pid);
            Thread.sleep(200);
        }
        Arrays.sort(idleSamples);
        long idle = idleSamples[idleSamples.length / 2];
        line("idle RSS", String.format(Locale.ROOT, "%.1f MB (median of 5 samples 3 s after jcmd GC.run; %.1f MB before"
                + " it, 5 s after ready)", idle / 1024.0, beforeGc / 1024.0));

        long offsetsBefore = endOffsets(rawTopic);
        RssSampler sampler = new RssSampler(pid);
        sampler.start();
        long uploadStart = System.nanoTime();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(process.baseUrl() + "/internal/users/" + user
                        + "/imports/apple-health"))
                .header("Authorization", "Bearer " + secret)
                .timeout(Duration.ofMinutes(30));
        if (options.multipart) {
            // The form variant of the endpoint: the part "file", which the HTTP layer streams to disk.
            String boundary = "bench-" + UUID.randomUUID();
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
            request.header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                            HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofByteArray(tail)));
        } else {
            request.header("Content-Type", "application/octet-stream")
                    .header("X-File-Name", fileName)
                    .POST(HttpRequest.BodyPublishers.ofFile(file));
        }
        HttpRequest upload = request.build();
        Thread histogram = null;
        if (options.diagnoseMemory) {
            // What the heap holds while the body streams in (a full GC first: live objects only).
            histogram = new Thread(() -> {
                try {
                    Thread.sleep(2_000);
                    String top = jcmd(pid, "GC.class_histogram").lines().skip(1).limit(12)
                            .collect(java.util.stream.Collectors.joining("\n      ", "      ", ""));
                    System.out.printf(Locale.ROOT, "  %-26s %s%n%s%n", "memory 2 s into the upload",
                            "jcmd GC.class_histogram (live objects):", top);
                } catch (IOException | InterruptedException e) {
                    // Diagnosis only.
                }
            }, "upload-histogram");
            histogram.setDaemon(true);
            histogram.start();
        }
        HttpResponse<String> answer = http.send(upload, HttpResponse.BodyHandlers.ofString());
        if (histogram != null) {
            histogram.join(30_000);
        }
        double uploadSeconds = (System.nanoTime() - uploadStart) / 1e9;
        sampler.uploadDone();
        if (answer.statusCode() != 202) {
            sampler.stop();
            throw new IllegalStateException("upload answered " + answer.statusCode() + ": " + answer.body());
        }
        UUID id = UUID.fromString(json.readTree(answer.body()).path("id").asText());
        jobIds.add(id);
        long size = Files.size(file);
        line("upload", String.format(Locale.ROOT, "%,d bytes %s in %.1f s (%.0f MB/s), 202, job %s; peak RSS during"
                + " the upload %.1f MB", size, options.multipart ? "as multipart/form-data" : "as the raw body",
                uploadSeconds, size / MB / uploadSeconds, id, sampler.peakUpload() / 1024.0));
        if (options.diagnoseMemory) {
            diagnoseMemory(pid, "after the upload");
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.timeoutSeconds);
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        CpuMeter.Sample cpuFrom = null;
        CpuMeter.Sample cpuTo = null;
        JsonNode view;
        String state;
        while (true) {
            if (!process.isAlive()) {
                sampler.stop();
                throw new IllegalStateException("file-import-service exited during the import; log tail:\n"
                        + process.logTail(40));
            }
            view = job(process, user, id);
            state = view.path("state").asText();
            if (cpuFrom == null && !"queued".equals(state)) {
                cpuFrom = cpu.sample(pid);
            }
            if (!"queued".equals(state) && !"parsing".equals(state)) {
                cpuTo = cpu.sample(pid);
                break;
            }
            if (System.nanoTime() > deadline) {
                sampler.stop();
                throw new IllegalStateException("the job is still " + state + " after " + options.timeoutSeconds
                        + " s; log tail:\n" + process.logTail(40));
            }
            if (System.nanoTime() > nextReport) {
                nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                JsonNode progress = view.path("progress");
                System.out.printf(Locale.ROOT, "    ... %s: %,d records read, %,d events acknowledged, RSS %.0f MB"
                                + " (peak %.0f MB)%n", state, progress.path("recordsRead").asLong(),
                        progress.path("published").asLong(), sampler.last() / 1024.0, sampler.peakImport() / 1024.0);
            }
            Thread.sleep(POLL_MILLIS);
        }
        sampler.stop();
        long hwm = procStatusKb(pid, "VmHWM");
        if (options.diagnoseMemory) {
            diagnoseMemory(pid, "after parsing");
        }
        JobRow row = jobRow(id);
        long offsetsAfter = endOffsets(rawTopic);
        process.stop();
        running = null;

        double seconds = row.startedAt == null || row.parsedAt == null ? Double.NaN
                : Duration.between(row.startedAt, row.parsedAt).toNanos() / 1e9;
        double rate = row.sent / seconds;
        line("job", String.format(Locale.ROOT, "state %s%s; claimed %s, parsed %s", state,
                "publishing".equals(state) ? " (every event acknowledged by the broker)" : "  <-- not publishing: "
                        + view.path("failure"), row.startedAt, row.parsedAt));
        line("events", String.format(Locale.ROOT, "%,d sent (acknowledged), %s distinct (published), %,d records read,"
                + " %,d new records on %s%s; %d attempt(s)", row.sent, row.published == null ? "?"
                : String.format(Locale.ROOT, "%,d", row.published), row.recordsRead, offsetsAfter - offsetsBefore,
                rawTopic, offsetsAfter - offsetsBefore > row.sent ? " (more than sent: events of a failed attempt"
                        + " were published again)" : "", row.attempts));
        line("import rate", String.format(Locale.ROOT, "%s events/s over %.1f s (startedAt -> parsedAt: claim, parse,"
                + " publish, last acknowledgement, distinct count); %s MB/s of export.xml", fmt(rate), seconds,
                fmt(export.xmlBytes / MB / seconds)));
        line("RSS", String.format(Locale.ROOT, "idle %.1f MB, peak %.1f MB during the upload, %.1f MB during the import"
                        + " (%d samples every %d ms); VmHWM %.1f MB; growth %.1f MB (target <= %.0f MB)", idle / 1024.0,
                sampler.peakUpload() / 1024.0, sampler.peakImport() / 1024.0, sampler.samples(), RSS_SAMPLE_MILLIS,
                hwm / 1024.0, (Math.max(sampler.peakUpload(), sampler.peakImport()) - idle) / 1024.0, RSS_TARGET_MB));
        line("RSS over time (MB)", sampler.timeline());
        if (cpuFrom != null) {
            line("cpu (claim -> parsed)", CpuMeter.describe(cpuFrom, cpuTo, "service"));
        }
        if (!view.path("errors").isEmpty()) {
            line("job errors", view.path("errors").toString());
        }
        double cpuSeconds = cpuFrom == null ? Double.NaN
                : cpuTo.normalizer() - cpuFrom.normalizer() + cpuTo.kafka() - cpuFrom.kafka();
        if (row.attempts > 1) {
            String note = String.format(Locale.ROOT, "the %s import took %d attempts (a failed one starts over; see the"
                    + " service log): its rate counts from the first claim", label, row.attempts);
            line("ATTEMPTS", note);
            notes.add(note);
        }
        return new ServiceRun(label, rate, row.sent, row.published, row.recordsRead, seconds, uploadSeconds, idle,
                beforeGc, sampler.peakUpload(), sampler.peakImport(), hwm, state, flags, cpuSeconds, row.attempts);
    }

    /** Where the service's memory is: its heap, and the native memory summary when NMT is on. */
    private static void diagnoseMemory(long pid, String when) throws IOException, InterruptedException {
        line("memory " + when, String.format(Locale.ROOT, "VmRSS %.0f MB; jcmd GC.heap_info:", rssKb(pid) / 1024.0));
        jcmd(pid, "GC.heap_info").lines().skip(1).forEach(l -> System.out.println("      " + l.trim()));
        String nmt = jcmd(pid, "VM.native_memory summary scale=MB");
        if (nmt.contains("committed=")) {
            nmt.lines().filter(l -> l.contains("committed=") && (l.startsWith("Total") || l.startsWith("-")))
                    .forEach(l -> System.out.println("      " + l.trim()));
        }
    }

    private JsonNode job(ServiceProcess process, String user, UUID id) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(process.baseUrl() + "/internal/users/" + user
                        + "/imports/" + id))
                .header("Authorization", "Bearer " + secret)
                .timeout(Duration.ofSeconds(30))
                .GET().build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET job answered " + answer.statusCode() + ": " + answer.body());
        }
        return json.readTree(answer.body());
    }

    private record JobRow(long sent, Long published, long recordsRead, OffsetDateTime startedAt,
            OffsetDateTime parsedAt, int attempts) {
    }

    private JobRow jobRow(UUID id) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), LocalStack.ADMIN_ROLE, LocalStack.ADMIN_ROLE);
                PreparedStatement query = connection.prepareStatement("select sent, published, records_read, started_at,"
                        + " parsed_at, attempts from " + IMPORTS_ROLE + ".import_job where id = ?")) {
            query.setObject(1, id);
            try (ResultSet result = query.executeQuery()) {
                if (!result.next()) {
                    throw new IllegalStateException("no row for job " + id);
                }
                long published = result.getLong(2);
                Long publishedOrNull = result.wasNull() ? null : published;
                return new JobRow(result.getLong(1), publishedOrNull, result.getLong(3),
                        result.getObject(4, OffsetDateTime.class), result.getObject(5, OffsetDateTime.class),
                        result.getInt(6));
            }
        }
    }

    private List<String> serviceJvmOptions() {
        List<String> jvm = new ArrayList<>();
        if (options.xmx != null) {
            jvm.add("-Xmx" + options.xmx);
        }
        jvm.addAll(options.serviceJvmOptions);
        return jvm;
    }

    /** As the system-tests harness configures a service (prod profile, everything from the environment). */
    private Map<String, String> serviceEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("PGHOST", LocalStack.pgHost());
        environment.put("PGPORT", String.valueOf(LocalStack.pgPort()));
        environment.put("HEALTHMESH_DB_NAME", database);
        environment.put("QUARKUS_DATASOURCE_PASSWORD", IMPORTS_ROLE);
        environment.put("KAFKA_BOOTSTRAP_SERVERS", LocalStack.kafkaBootstrapServers());
        environment.put("HEALTHMESH_TOPIC_PREFIX", prefix);
        environment.put("HEALTHMESH_SERVICE_SECRET", secret);
        environment.put("HEALTHMESH_IMPORTS_STORAGE_DIR", storage.toString());
        // No preferences-service runs for the bench: a port nobody listens on answers "refused" at once, the
        // job notes "home zone unknown" and maps as the in-process parse does (no home zone).
        environment.put("QUARKUS_REST_CLIENT_PREFERENCES_SERVICE_URL", "http://127.0.0.1:" + ServiceProcess.freePort());
        return environment;
    }

    private String jdbcUrl() {
        return "jdbc:postgresql://" + LocalStack.pgHost() + ":" + LocalStack.pgPort() + "/" + database;
    }

    /** VmRSS of one process every 200 ms: the peak during the upload and after it, and a coarse timeline. */
    private static final class RssSampler {
        private final long pid;
        private final Thread thread;
        private final long start = System.nanoTime();
        private final StringBuilder timeline = new StringBuilder();
        private volatile boolean uploading = true;
        private volatile boolean stopped;
        private volatile long last;
        private volatile long peakUpload;
        private volatile long peakImport;
        private volatile int samples;
        private long nextMark;

        RssSampler(long pid) {
            this.pid = pid;
            this.thread = new Thread(this::loop, "rss-sampler");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void uploadDone() {
            uploading = false;
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join(2_000);
        }

        private void loop() {
            while (!stopped) {
                long rss = rssKb(pid);
                if (rss > 0) {
                    last = rss;
                    samples++;
                    if (uploading) {
                        peakUpload = Math.max(peakUpload, rss);
                    } else {
                        peakImport = Math.max(peakImport, rss);
                    }
                    long now = System.nanoTime();
                    if (now >= nextMark) {
                        synchronized (timeline) {
                            timeline.append(String.format(Locale.ROOT, "%s%.0fs:%.0f", timeline.length() == 0 ? "" : " ",
                                    (now - start) / 1e9, rss / 1024.0));
                        }
                        nextMark = now + TimeUnit.SECONDS.toNanos(10);
                    }
                }
                try {
                    Thread.sleep(RSS_SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long last() {
            return last;
        }

        long peakUpload() {
            return peakUpload;
        }

        long peakImport() {
            return peakImport;
        }

        int samples() {
            return samples;
        }

        String timeline() {
            synchronized (timeline) {
                return timeline.toString();
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // 5. Summary

    private record Row(String figure, String value, String floor, String ratio, String target, String verdict) {
    }

    private void ratioRow(String figure, double value, String unit, String floorName, double floor, double target) {
        double ratio = value / floor;
        rows.add(new Row(figure, fmt(value) + " " + unit, floorName + " " + fmt(floor) + " " + unit,
                String.format(Locale.ROOT, "%.2f", ratio), String.format(Locale.ROOT, ">= %.2f", target),
                ratio >= target ? "ok" : "MISS"));
        BenchFigures.ratio("apple import", figure.trim(), value, unit, floorName, floor, ratio,
                String.format(Locale.ROOT, ">= %.2f", target), ratio >= target);
    }

    private void rssRow(String figure, long peakKb, long idleKb) {
        double growth = (peakKb - idleKb) / 1024.0;
        rows.add(new Row(figure, String.format(Locale.ROOT, "%.0f MB (peak %.0f MB)", growth, peakKb / 1024.0),
                String.format(Locale.ROOT, "idle %.0f MB", idleKb / 1024.0), "",
                String.format(Locale.ROOT, "<= %.0f MB", RSS_TARGET_MB), growth <= RSS_TARGET_MB ? "ok" : "MISS"));
        BenchFigures.limit("apple import", figure + String.format(Locale.ROOT, " (idle %.0f MB)", idleKb / 1024.0),
                growth, "MB", String.format(Locale.ROOT, "<= %.0f MB", RSS_TARGET_MB), growth <= RSS_TARGET_MB);
    }

    private void summary(Export export, InProcess inProcess, FloorB floorB, ServiceRun plain, ServiceRun zip) {
        section("5. Results (" + String.format(Locale.ROOT, "%.2f GB export.xml, %,d records", export.xmlBytes / 1e9,
                export.topLevel) + ")");
        if (inProcess != null) {
            double seconds = inProcess.plain.seconds();
            double floorSeconds = inProcess.floorA.seconds();
            ratioRow("parse + map, records/s (best of " + options.runs + ")", inProcess.plain.records / seconds, "rec/s",
                    "floor A", inProcess.floorA.records / floorSeconds, RATIO_TARGET);
            ratioRow("parse + map, MB/s (best of " + options.runs + ")", export.xmlBytes / MB / seconds, "MB/s",
                    "floor A", export.xmlBytes / MB / floorSeconds, RATIO_TARGET);
            ratioRow("parse + map, MB per bench CPU second (least of " + options.runs + ")",
                    export.xmlBytes / MB / inProcess.plainCpu, "MB/cpu-s", "floor A",
                    export.xmlBytes / MB / inProcess.floorACpu, RATIO_TARGET);
            if (inProcess.zip != null) {
                ratioRow("parse + map from export.zip, MB/s of XML", export.xmlBytes / MB / inProcess.zip.seconds(),
                        "MB/s", "plain", export.xmlBytes / MB / seconds, RATIO_TARGET);
            }
        }
        if (plain != null && floorB != null) {
            ratioRow("service import export.xml, events/s", plain.rate, "ev/s", "floor B", floorB.rate, RATIO_TARGET);
            double floorCpu = floorB.cpu.bench() + floorB.cpu.kafka();
            ratioRow("  the same per CPU s of the sender + Kafka", plain.sent / plain.cpuSeconds, "ev/cpu-s", "floor B",
                    floorB.events / floorCpu, RATIO_TARGET);
        } else if (plain != null) {
            rows.add(new Row("service import export.xml, events/s", fmt(plain.rate) + " ev/s", "(no floor B)", "", "",
                    ""));
        }
        if (plain != null && zip != null) {
            ratioRow("service import export.zip vs export.xml, events/s", zip.rate, "ev/s", "plain", plain.rate,
                    RATIO_TARGET);
        }
        for (ServiceRun run : Stream.of(plain, zip).filter(r -> r != null).toList()) {
            rssRow("service RSS growth, " + run.label + " upload", run.peakUploadKb, run.idleRssKb);
            rssRow("service RSS growth, " + run.label + " import", run.peakImportKb, run.idleRssKb);
        }
        printTable();
        System.out.println();
        if (inProcess != null) {
            line("floor A", "bare Aalto StAX scan, every attribute read; best of " + options.runs);
            line("parse + map", "reads the XML on one thread and maps on another: its wall figures count on the second"
                    + " core (floor A uses one); the per-CPU figure counts every thread of the bench JVM");
        }
        if (floorB != null) {
            line("floor B", String.format(Locale.ROOT, "plain KafkaProducer (service settings), %,d events, %.1f MB JSON,"
                    + " %s events/s", floorB.events, floorB.jsonBytes / MB, fmt(floorB.rate)));
        }
        if (plain != null) {
            line("service JVM flags", plain.jvmFlags);
            for (ServiceRun run : Stream.of(plain, zip).filter(r -> r != null).toList()) {
                line("service, " + run.label, String.format(Locale.ROOT, "%,d events in %.1f s, upload %.1f s; RSS idle"
                                + " %.0f MB (%.0f before GC), peak upload %.0f / import %.0f MB, VmHWM %.0f MB; state %s",
                        run.sent, run.seconds, run.uploadSeconds, run.idleRssKb / 1024.0, run.rssBeforeGcKb / 1024.0,
                        run.peakUploadKb / 1024.0, run.peakImportKb / 1024.0, run.hwmKb / 1024.0, run.state));
            }
            if (inProcess != null && inProcess.events != plain.sent) {
                line("note", String.format(Locale.ROOT, "the service sent %,d events, the in-process parse made %,d",
                        plain.sent, inProcess.events));
            }
        }
        line("machine", machineLine());
        line("whole run", CpuMeter.describe(runStart, cpu.sample(-1), null) + String.format(Locale.ROOT, " (%.0f s)",
                (System.nanoTime() - runStartNanos) / 1e9));
        notes.forEach(note -> line("note", note));
    }

    private void printTable() {
        String[] header = {"figure", "value", "floor", "ratio", "target", "ok?"};
        int[] widths = new int[header.length];
        List<String[]> cells = new ArrayList<>();
        cells.add(header);
        for (Row row : rows) {
            cells.add(new String[] {row.figure, row.value, row.floor, row.ratio, row.target, row.verdict});
        }
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (int r = 0; r < cells.size(); r++) {
            StringBuilder out = new StringBuilder("  |");
            for (int i = 0; i < header.length; i++) {
                out.append(' ').append(String.format(Locale.ROOT, "%-" + widths[i] + "s", cells.get(r)[i])).append(" |");
            }
            System.out.println(out);
            if (r == 0) {
                StringBuilder rule = new StringBuilder("  |");
                for (int width : widths) {
                    rule.append('-').append("-".repeat(width)).append("-|");
                }
                System.out.println(rule);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Clean-up: stop the service, drop the database (or delete the jobs), topics and uploads

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
            line("database", database + (options.sharedDb ? " jobs " + jobIds : ""));
            line("topics", prefix + "* (deploy/local/stack.sh drop-topics " + prefix + ")");
            line("uploads", String.valueOf(storage));
            closeQuietly();
            return;
        }
        section("Clean-up");
        if (options.sharedDb && !jobIds.isEmpty()) {
            try (Connection connection = LocalStack.openAdminConnection();
                    PreparedStatement delete = connection.prepareStatement("delete from " + IMPORTS_ROLE
                            + ".import_job where id = any (?)")) {
                delete.setArray(1, connection.createArrayOf("uuid", jobIds.toArray()));
                line("job rows deleted", String.valueOf(delete.executeUpdate()));
            } catch (SQLException e) {
                line("job rows NOT deleted", e.getMessage() + " -- delete the ids " + jobIds + " by hand");
            }
        }
        if (databaseCreated) {
            try (Connection connection = LocalStack.openAdminConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                line("database dropped", database + " (with its " + jobIds.size() + " job rows)");
            } catch (SQLException e) {
                line("database NOT dropped", e.getMessage() + " -- DROP DATABASE " + database + " by hand");
            }
        }
        if (topicsCreated) {
            deleteTopics();
        }
        if (storage != null) {
            try (Stream<Path> files = Files.walk(storage)) {
                List<Path> all = files.sorted(Comparator.reverseOrder()).toList();
                for (Path path : all) {
                    Files.deleteIfExists(path);
                }
                line("uploads deleted", storage + " (" + (all.size() - 1) + " files and folders)");
            } catch (IOException e) {
                line("uploads NOT deleted", e + " -- rm -r " + storage);
            }
        }
        closeQuietly();
    }

    private void deleteTopics() {
        try {
            ensureAdmin();
            try {
                admin.deleteConsumerGroups(List.of(prefix + "file-import")).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // A group that never committed does not exist.
            }
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(prefix)).sorted().toList();
            admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
            line("topics deleted", topics.size() + " with prefix " + prefix);
        } catch (Exception e) {
            line("topics NOT deleted", e + " -- deploy/local/stack.sh drop-topics " + prefix);
        }
    }

    private void closeQuietly() {
        try {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
        } catch (RuntimeException e) {
            // Closing at exit.
        }
    }

    // ------------------------------------------------------------------------------------------
    // Helpers

    private void ensureAdmin() {
        if (admin == null) {
            Properties config = new Properties();
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.kafkaBootstrapServers());
            admin = Admin.create(config);
        }
    }

    private static int rawPartitions() {
        return Topics.all().stream().filter(t -> t.name().equals(Topics.RAW_APPLE_HEALTH)).findFirst()
                .orElseThrow().partitions();
    }

    private long endOffsets(String topic) throws Exception {
        ensureAdmin();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var partition : admin.describeTopics(Set.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic)
                .partitions()) {
            latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
    }

    static long rssKb(long pid) {
        return procStatusKb(pid, "VmRSS");
    }

    private static long procStatusKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return output.trim();
    }

    private static String topSkips(Map<String, Long> skipped) {
        return skipped.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()))
                .reduce((a, b) -> a + "; " + b).orElse("none");
    }

    private static Timed best(Timed best, Timed candidate) {
        return best == null || candidate.nanos < best.nanos ? candidate : best;
    }

    private static void printRun(String what, int run, Timed timed, long bytes) {
        line(what + " #" + run, rates(timed, bytes) + "; " + CpuMeter.describe(timed.from, timed.to, null));
    }

    private static String rates(Timed timed, long bytes) {
        return String.format(Locale.ROOT, "%.2f s, %s MB/s, %s records/s", timed.seconds(), fmt(bytes / MB / timed.seconds()),
                fmt(timed.records / timed.seconds()));
    }

    private static String aaltoVersion() {
        String version = InputFactoryImpl.class.getPackage().getImplementationVersion();
        return version == null ? "" : version;
    }

    private static String jvmSummary() {
        return String.format(Locale.ROOT, "max heap %.0f MB", Runtime.getRuntime().maxMemory() / MB);
    }

    private void printMachine() {
        line("machine", machineLine());
        line("OS", procValue("/etc/os-release", "PRETTY_NAME").replace("\"", "") + ", kernel "
                + System.getProperty("os.version"));
        line("Kafka", LocalStack.kafkaBootstrapServers() + "; PostgreSQL " + LocalStack.pgHost() + ":"
                + LocalStack.pgPort());
    }

    private static String machineLine() {
        return String.format(Locale.ROOT, "%d cores (nproc), %s, memory %s, %s %s", Runtime.getRuntime()
                        .availableProcessors(), procValue("/proc/cpuinfo", "model name"), procValue("/proc/meminfo", "MemTotal"),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"));
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
        return Double.isNaN(rate) || Double.isInfinite(rate) ? "n/a" : String.format(Locale.ROOT, "%,.0f", rate);
    }

    // ------------------------------------------------------------------------------------------
    // Options

    static final class Options {
        double gb = 2.0;
        int runs = 2;
        int chunk = 200_000;
        Path dir = Path.of("benchmarks/target/import-bench");
        Path jar = Path.of("file-import-service/target/quarkus-app/quarkus-run.jar");
        Path logDir = Path.of("benchmarks/target/bench-logs");
        String xmx;
        List<String> serviceJvmOptions = new ArrayList<>();
        boolean inProcess = true;
        boolean floorB = true;
        boolean service = true;
        boolean zip = true;
        boolean sharedDb;
        boolean keep;
        boolean regenerate;
        boolean diagnoseMemory;
        boolean multipart;
        long timeoutSeconds = 3600;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--gb" -> o.gb = Double.parseDouble(args[++i]);
                    case "--runs" -> o.runs = Integer.parseInt(args[++i]);
                    case "--chunk" -> o.chunk = Integer.parseInt(args[++i].replace("_", "").replace(",", ""));
                    case "--dir" -> o.dir = Path.of(args[++i]);
                    case "--jar" -> o.jar = Path.of(args[++i]);
                    case "--log-dir" -> o.logDir = Path.of(args[++i]);
                    case "--xmx" -> o.xmx = args[++i];
                    case "--service-jvm-opt" -> o.serviceJvmOptions.add(args[++i]);
                    case "--no-in-process" -> o.inProcess = false;
                    case "--no-floor-b" -> o.floorB = false;
                    case "--no-service" -> o.service = false;
                    case "--no-zip" -> o.zip = false;
                    case "--shared-db" -> o.sharedDb = true;
                    case "--keep" -> o.keep = true;
                    case "--regenerate" -> o.regenerate = true;
                    case "--diagnose-memory" -> o.diagnoseMemory = true;
                    case "--multipart" -> o.multipart = true;
                    case "--timeout-s" -> o.timeoutSeconds = Long.parseLong(args[++i]);
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        return null;
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + USAGE);
                }
            }
            if (o.gb <= 0 || o.runs < 1 || o.chunk < 1) {
                throw new IllegalArgumentException("--gb, --runs and --chunk must be positive");
            }
            return o;
        }

        static final String USAGE = """
                ImportBench [options]   (run from the repository root; see benchmarks/README.md)
                  --gb G                  size of the synthetic export.xml in GB of 10^9 bytes (2); e.g. --gb 0.2
                  --runs N                runs of each in-process measurement, the best is kept (2)
                  --xmx SIZE              file-import-service heap (default: none, the JVM's default heap)
                  --service-jvm-opt OPT   extra file-import-service JVM option, repeatable
                  --chunk N               floor B: events made untimed, then sent timed, per chunk (200000)
                  --no-in-process         skip floor A and the in-process parse
                  --no-floor-b            skip floor B
                  --no-service            skip the service imports
                  --no-zip                skip everything about export.zip
                  --multipart             upload as multipart/form-data (part "file") instead of the raw body
                  --shared-db             run the service on healthmesh_test instead of a private database
                                          (another file-import-service on it could claim the bench's jobs)
                  --keep                  keep the database, topics and uploads (for inspection)
                  --regenerate            write the export again even if one of this size is stored
                  --diagnose-memory       print the service's live objects 2 s into the upload (class histogram),
                                          GC.heap_info after the upload and after parsing, and its native memory
                                          summary with --service-jvm-opt -XX:NativeMemoryTracking=summary
                  --timeout-s S           give up an import after S seconds (3600)
                  --dir DIR               exports and uploads (benchmarks/target/import-bench)
                  --jar PATH              file-import-service quarkus-run.jar (file-import-service/target/quarkus-app/quarkus-run.jar)
                  --log-dir DIR           service logs (benchmarks/target/bench-logs)
                """;
    }
}
