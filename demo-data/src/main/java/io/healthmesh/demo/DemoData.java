package io.healthmesh.demo;

import java.io.PrintStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * Publishes the demo set for one user (default {@code demo}): the last {@code --days} UTC dates,
 * ending yesterday so that every event of a date describes time that is already over. Run twice
 * on the same day, it publishes identical events and the normalizer writes nothing new.
 *
 * <pre>
 * java -Xmx256m -cp demo-data/target/demo-data-0.1.0-SNAPSHOT.jar:$(cat demo-data/target/classpath.txt) \
 *     io.healthmesh.demo.DemoData [--bootstrap host:port] [--topic-prefix p] [--user demo] [--days 14]
 * </pre>
 */
public final class DemoData {

    static final String USAGE = "usage: DemoData [--bootstrap host:port] [--topic-prefix prefix] [--user id]"
            + " [--days 1-366]\n"
            + "  --bootstrap     Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092)\n"
            + "  --topic-prefix  prefix of every topic, as healthmesh.topic-prefix (default: none)\n"
            + "  --user          the user the data belongs to (default: demo)\n"
            + "  --days          how many days, ending yesterday (UTC) (default: 14)";

    static final int OK = 0;
    static final int SEND_FAILED = 1;
    static final int INVALID = 2;

    private DemoData() {
    }

    /** The command-line settings. */
    record Options(String bootstrapServers, String topicPrefix, String userId, int days) {

        static Options parse(String[] args, Map<String, String> environment) {
            String bootstrap = environment.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
            String prefix = "";
            String user = "demo";
            int days = 14;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--help") || name.equals("-h")) {
                    throw new IllegalArgumentException("");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + name);
                }
                String value = args[++i];
                switch (name) {
                    case "--bootstrap" -> bootstrap = value;
                    case "--topic-prefix" -> prefix = value;
                    case "--user" -> user = value;
                    case "--days" -> days = parseDays(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (bootstrap.isBlank() || user.isBlank()) {
                throw new IllegalArgumentException("--bootstrap and --user must not be empty");
            }
            return new Options(bootstrap, prefix, user, days);
        }

        private static int parseDays(String value) {
            try {
                int days = Integer.parseInt(value);
                if (days >= 1 && days <= 366) {
                    return days;
                }
            } catch (NumberFormatException e) {
                // reported below like an out-of-range number
            }
            throw new IllegalArgumentException("--days must be a whole number from 1 to 366, was '" + value + "'");
        }
    }

    public static void main(String[] args) {
        // The Kafka client logs through SLF4J; only its warnings help someone running this by hand.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(run(args, System.getenv(), LocalDate.now(ZoneOffset.UTC), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> environment, LocalDate todayUtc, PrintStream out,
            PrintStream err) {
        Options options;
        try {
            options = Options.parse(args, environment);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                err.println("demo-data: " + e.getMessage());
            }
            err.println(USAGE);
            return INVALID;
        }
        LocalDate lastDate = todayUtc.minusDays(1);
        LocalDate firstDate = lastDate.minusDays(options.days() - 1L);
        List<DemoEvent> events = DemoSet.generate(options.userId(), firstDate, lastDate);

        // Nothing is sent unless every event is valid: a half-published demo set would only confuse.
        List<String> problems = DemoSet.problems(events);
        if (!problems.isEmpty()) {
            err.println("demo-data: " + problems.size() + " invalid demo events, nothing sent:");
            problems.stream().limit(20).forEach(problem -> err.println("  " + problem));
            return INVALID;
        }

        try (DemoPublisher publisher = new DemoPublisher(options.bootstrapServers(), options.topicPrefix())) {
            publisher.publish(events);
        } catch (ExecutionException e) {
            err.println("demo-data: Kafka at " + options.bootstrapServers() + " did not acknowledge the demo events: "
                    + e.getCause());
            return SEND_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("demo-data: interrupted while waiting for Kafka");
            return SEND_FAILED;
        } catch (RuntimeException e) {
            err.println("demo-data: cannot publish to Kafka at " + options.bootstrapServers() + ": " + e);
            return SEND_FAILED;
        }
        out.println(summary(options, firstDate, lastDate, events));
        return OK;
    }

    static String summary(Options options, LocalDate firstDate, LocalDate lastDate, List<DemoEvent> events) {
        String perSource = DemoSet.countBySource(events).entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", "));
        String prefix = options.topicPrefix().isEmpty() ? "" : ", topic prefix '" + options.topicPrefix() + "'";
        return "Demo data for user '" + options.userId() + "', " + firstDate + " to " + lastDate + ": "
                + events.size() + " events acknowledged by " + options.bootstrapServers() + prefix + " ("
                + perSource + ")";
    }
}
