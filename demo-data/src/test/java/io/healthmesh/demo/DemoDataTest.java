package io.healthmesh.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoDataTest {

    @Test
    void defaultsComeFromTheEnvironmentThenLoopback() {
        assertEquals(new DemoData.Options("127.0.0.1:9092", "", "demo", 14),
                DemoData.Options.parse(new String[0], Map.of()));
        assertEquals("kafka:29092",
                DemoData.Options.parse(new String[0], Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:29092"))
                        .bootstrapServers());
    }

    @Test
    void optionsOverrideTheDefaults() {
        String[] args = {"--bootstrap", "127.0.0.1:19092", "--topic-prefix", "t42.", "--user", "ada", "--days", "3"};

        assertEquals(new DemoData.Options("127.0.0.1:19092", "t42.", "ada", 3),
                DemoData.Options.parse(args, Map.of("KAFKA_BOOTSTRAP_SERVERS", "ignored:1")));
    }

    @Test
    void badOptionsAreRefusedWithUsageAndNothingSent() {
        assertThrows(IllegalArgumentException.class,
                () -> DemoData.Options.parse(new String[] {"--days", "0"}, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> DemoData.Options.parse(new String[] {"--weeks", "2"}, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> DemoData.Options.parse(new String[] {"--user"}, Map.of()));

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DemoData.run(new String[] {"--days", "many"}, Map.of(), LocalDate.of(2024, 4, 6),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(DemoData.INVALID, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage:"));
    }

    @Test
    void summaryNamesTheWindowAndCountsPerSource() {
        LocalDate last = LocalDate.of(2024, 4, 5);
        List<DemoEvent> events = DemoSet.generate("demo", last, last);
        DemoData.Options options = new DemoData.Options("127.0.0.1:9092", "", "demo", 1);

        String summary = DemoData.summary(options, last, last, events);

        assertTrue(summary.startsWith("Demo data for user 'demo', 2024-04-05 to 2024-04-05: " + events.size()
                + " events acknowledged by 127.0.0.1:9092 (withings "), summary);
        assertTrue(summary.contains("oura ") && summary.contains("apple_health ")
                && summary.contains("myfitnesspal "), summary);
    }
}
