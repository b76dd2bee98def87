// Kafka admin helper of the local stack (deploy/local/stack.sh); one JVM instead of one per topic.
// Runs on the broker's own jars: java -cp '.local/kafka/lib/*' CreateTopics.java ...
// (stack.sh compiles it once into .local/kafka/tools and runs the class from there.)
//
//   CreateTopics ensure  <bootstrap> <topics.txt> [prefix]  wait for the broker, create missing topics
//   CreateTopics check   <bootstrap>                        exit 0 when the broker serves metadata
//   CreateTopics list    <bootstrap>                        print the topic names
//   CreateTopics delete  <bootstrap> <prefix>               delete every topic whose name starts with prefix
//
// topics.txt: one topic per non-comment line, "<name> <partitions> <cleanup.policy>".
// The timeout (seconds, default 60) comes from the system property "timeout".

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

public class CreateTopics {

    record Spec(String name, int partitions, String cleanupPolicy) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            usage();
        }
        String command = args[0];
        String bootstrap = args[1];
        long timeoutMs = Long.getLong("timeout", 60) * 1000;
        int code;
        try (Admin admin = Admin.create(config(bootstrap))) {
            switch (command) {
                case "ensure" -> {
                    if (args.length < 3) usage();
                    List<Spec> specs = read(Path.of(args[2]), args.length > 3 ? args[3] : "");
                    Set<String> existing = waitForBroker(admin, bootstrap, timeoutMs);
                    code = ensure(admin, specs, existing);
                }
                case "check" -> {
                    waitForBroker(admin, bootstrap, timeoutMs);
                    code = 0;
                }
                case "list" -> {
                    waitForBroker(admin, bootstrap, timeoutMs).forEach(System.out::println);
                    code = 0;
                }
                case "delete" -> {
                    if (args.length < 3 || args[2].isEmpty()) usage();
                    String prefix = args[2];
                    List<String> doomed = waitForBroker(admin, bootstrap, timeoutMs).stream()
                            .filter(t -> t.startsWith(prefix)).toList();
                    if (!doomed.isEmpty()) {
                        admin.deleteTopics(doomed).all().get(timeoutMs, TimeUnit.MILLISECONDS);
                    }
                    System.out.println("deleted " + doomed.size() + " topic(s) with prefix '" + prefix + "'");
                    code = 0;
                }
                default -> {
                    usage();
                    code = 2;
                }
            }
        } catch (BrokerNotReady e) {
            System.err.println("ERROR: " + e.getMessage());
            code = 3;
        }
        System.exit(code);
    }

    static void usage() {
        System.err.println("usage: CreateTopics ensure <bootstrap> <topics.txt> [prefix] | check <bootstrap>"
                + " | list <bootstrap> | delete <bootstrap> <prefix>");
        System.exit(2);
    }

    static Properties config(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "healthmesh-local-stack");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        return p;
    }

    static List<Spec> read(Path file, String prefix) throws Exception {
        List<Spec> specs = new ArrayList<>();
        int lineNo = 0;
        for (String raw : Files.readAllLines(file)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\\s+");
            if (f.length != 3 || !f[1].matches("[1-9][0-9]*") || !f[2].matches("delete|compact|compact,delete|delete,compact")) {
                throw new IllegalArgumentException(file + ":" + lineNo
                        + ": expected '<name> <partitions> <cleanup.policy>', got '" + raw + "'");
            }
            specs.add(new Spec(prefix + f[0], Integer.parseInt(f[1]), f[2]));
        }
        return specs;
    }

    static final class BrokerNotReady extends Exception {
        BrokerNotReady(String m) { super(m); }
    }

    /** Waits until the broker answers a metadata request (a topic listing); returns the topic names. */
    static Set<String> waitForBroker(Admin admin, String bootstrap, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Exception last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return new TreeSet<>(admin.listTopics().names().get(5, TimeUnit.SECONDS));
            } catch (Exception e) {
                last = e;
                Thread.sleep(500);
            }
        }
        throw new BrokerNotReady("Kafka at " + bootstrap + " did not serve metadata within "
                + timeoutMs / 1000 + " s" + (last == null ? "" : ": " + last));
    }

    static int ensure(Admin admin, List<Spec> specs, Set<String> existing) throws Exception {
        List<NewTopic> missing = new ArrayList<>();
        for (Spec s : specs) {
            if (!existing.contains(s.name())) {
                missing.add(new NewTopic(s.name(), s.partitions(), (short) 1)
                        .configs(Map.of("cleanup.policy", s.cleanupPolicy())));
            }
        }
        int created = 0;
        if (!missing.isEmpty()) {
            Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
            for (NewTopic t : missing) {
                try {
                    results.get(t.name()).get(30, TimeUnit.SECONDS);
                    created++;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        System.err.println("ERROR: cannot create topic " + t.name() + ": " + e.getCause());
                        return 1;
                    }
                }
            }
        }
        // Existing topics keep their partitions; report a mismatch instead of hiding it.
        Map<String, Integer> wanted = new LinkedHashMap<>();
        specs.forEach(s -> wanted.put(s.name(), s.partitions()));
        Map<String, TopicDescription> described =
                admin.describeTopics(wanted.keySet()).allTopicNames().get(30, TimeUnit.SECONDS);
        int mismatches = 0;
        for (var e : wanted.entrySet()) {
            int actual = described.get(e.getKey()).partitions().size();
            if (actual != e.getValue()) {
                System.err.println("WARNING: topic " + e.getKey() + " has " + actual
                        + " partitions, topics.txt says " + e.getValue());
                mismatches++;
            }
        }
        System.out.println("topics: " + specs.size() + " wanted, " + created + " created, "
                + (specs.size() - created) + " already there" + (mismatches > 0 ? ", " + mismatches + " mismatched" : ""));
        return 0;
    }
}
