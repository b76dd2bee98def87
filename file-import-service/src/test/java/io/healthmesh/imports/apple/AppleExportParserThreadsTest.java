package io.healthmesh.imports.apple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.healthmesh.contracts.event.Reading;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The parse reads the XML on a second thread ({@link ExportScanner}) and maps on the caller's: what
 * the caller sees must be what a single-threaded parse gave, over many batches, at a failure, when
 * the handler stops the parse, and when the caller is interrupted.
 */
class AppleExportParserThreadsTest {

    /** Several batches' worth: each record is a start and an end tag, plus a MetadataEntry for some. */
    private static final int RECORDS = 5 * ElementBatch.ELEMENTS;

    @Test
    void theHandlerRunsOnTheCallingThreadInDocumentOrder() throws Exception {
        Thread caller = Thread.currentThread();
        List<Thread> threads = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        CollectingHandler handler = new CollectingHandler() {
            @Override
            public void reading(Reading reading) {
                threads.add(Thread.currentThread());
                values.add(reading.value());
                super.reading(reading);
            }
        };

        ParseSummary summary = new AppleExportParser(Fixtures.JOB, null)
                .parse(new ByteArrayInputStream(export(RECORDS, "</HealthData>\n")), handler);

        assertThat(summary.recordsRead()).isEqualTo(RECORDS);
        assertThat(summary.readings()).isEqualTo(RECORDS);
        assertThat(threads).containsOnly(caller);
        for (int i = 0; i < RECORDS; i++) {
            assertThat(values.get(i)).isEqualTo(60 + i % 100);
        }
        // Every tenth record carries HKTimeZone in a MetadataEntry child: read with its own record.
        assertThat(handler.readings.get(10).zone()).isEqualTo("Europe/Paris");
        assertThat(handler.readings.get(11).zone()).isNull();
    }

    @Test
    void aFileCutAfterManyBatchesKeepsEveryRecordBeforeTheCutAndSaysWhere() {
        CollectingHandler handler = new CollectingHandler();
        // Line 1 the declaration, line 2 the root, one line per record, then the cut inside a tag.
        byte[] cut = export(RECORDS, "<Record type=\"HKQuantityTypeIdentifierHeartRate\" val");

        MalformedExportException error = catchThrowableOfType(() -> new AppleExportParser(Fixtures.JOB, null)
                .parse(new ByteArrayInputStream(cut), handler), MalformedExportException.class);

        assertThat(error).isNotNull();
        assertThat(handler.readings).hasSize(RECORDS);
        assertThat(error.line()).isEqualTo(RECORDS + 3);
        assertThat(error.column()).isPositive();
    }

    @Test
    void aHandlerThatThrowsStopsTheParseAndTheScanBeforeParseReturns() throws Exception {
        RuntimeException stop = new IllegalStateException("stop asked");
        AtomicInteger seen = new AtomicInteger();
        List<Thread> scanners = new ArrayList<>();
        AtomicBoolean closed = new AtomicBoolean();
        AtomicBoolean readAfterClose = new AtomicBoolean();
        InputStream source = new FilterInputStream(new ByteArrayInputStream(export(20 * RECORDS, "</HealthData>\n"))) {
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (closed.get()) {
                    readAfterClose.set(true);
                }
                return super.read(buffer, offset, length);
            }
        };
        CollectingHandler handler = new CollectingHandler() {
            @Override
            public void reading(Reading reading) {
                if (seen.incrementAndGet() == 10) {
                    Thread.getAllStackTraces().keySet().stream()
                            .filter(thread -> thread.getName().equals("apple-export-scan")).forEach(scanners::add);
                    throw stop;
                }
            }
        };

        assertThatThrownBy(() -> new AppleExportParser(Fixtures.JOB, null).parse(source, handler)).isSameAs(stop);
        closed.set(true);

        assertThat(seen).hasValue(10);
        assertThat(scanners).isNotEmpty().noneMatch(Thread::isAlive);
        // Nothing reads the source after parse returned, for as long as a lingering reader would need.
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).untilFalse(readAfterClose);
    }

    @Test
    void anInterruptedCallerStillParsesEverythingAndKeepsItsFlag() throws Exception {
        CollectingHandler handler = new CollectingHandler() {
            @Override
            public void reading(Reading reading) {
                if (readings.isEmpty()) {
                    Thread.currentThread().interrupt();
                }
                super.reading(reading);
            }
        };
        try {
            ParseSummary summary = new AppleExportParser(Fixtures.JOB, null)
                    .parse(new ByteArrayInputStream(export(RECORDS, "</HealthData>\n")), handler);

            assertThat(summary.readings()).isEqualTo(RECORDS);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void valuesKeepTheirWhiteSpaceAndReferencesAsWritten() throws Exception {
        String record = "<Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"%s\" unit=\"count/min\""
                + " startDate=\"2024-03-01 10:00:00 +0100\" endDate=\"2024-03-01 10:00:00 +0100\" value=\"%s\"/>\n";
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HealthData locale=\"en_US\">\n"
                + String.format(record, "  Maya &amp; Co ", "61")
                + String.format(record, "Maya&#9;&lt;Watch&gt;", "62")
                + String.format(record, " ", "63")
                + String.format(record, "", "64")
                + String.format(record, "Watch", "65")
                + "</HealthData>\n";
        CollectingHandler handler = new CollectingHandler();

        new AppleExportParser(Fixtures.JOB, null)
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), handler);

        assertThat(handler.readings).extracting(Reading::app)
                .containsExactly("  Maya & Co ", "Maya\t<Watch>", " ", "", "Watch");
        assertThat(handler.readings).extracting(Reading::value).containsExactly(61.0, 62.0, 63.0, 64.0, 65.0);
    }

    @Test
    void everyAttributeTheMappingReadsIsForwardedAndNoOther() {
        assertThat(ExportScanner.MAPPED_ATTRIBUTES).allMatch(ExportScanner::isMapped);
        // new String: not the instance the table holds.
        assertThat(ExportScanner.isMapped(new String("startDate"))).isTrue();
        assertThat(ExportScanner.isMapped("sourceVersion")).isFalse();
        assertThat(ExportScanner.isMapped("bpm")).isFalse();
        assertThat(ExportScanner.isMapped("")).isFalse();
    }

    /** A heart-rate export of {@code records} records, one per line, then {@code tail}. */
    private static byte[] export(int records, String tail) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HealthData locale=\"en_US\">\n");
        for (int i = 0; i < records; i++) {
            String time = String.format("2024-03-%02d %02d:%02d:%02d +0100", 1 + i / 86_400, i / 3600 % 24, i / 60 % 60,
                    i % 60);
            xml.append("<Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"Watch\" sourceVersion=\"10.3\""
                    + " unit=\"count/min\" creationDate=\"").append(time).append("\" startDate=\"").append(time)
                    .append("\" endDate=\"").append(time).append("\" value=\"").append(60 + i % 100).append('"');
            if (i % 10 == 0) {
                xml.append("><MetadataEntry key=\"HKTimeZone\" value=\"Europe/Paris\"/></Record>\n");
            } else {
                xml.append("/>\n");
            }
        }
        return xml.append(tail).toString().getBytes(StandardCharsets.UTF_8);
    }
}
