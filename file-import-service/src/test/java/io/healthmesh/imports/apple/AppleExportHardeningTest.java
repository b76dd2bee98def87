package io.healthmesh.imports.apple;

import static io.healthmesh.imports.apple.Fixtures.BILLION_LAUGHS;
import static io.healthmesh.imports.apple.Fixtures.BROKEN_DTD;
import static io.healthmesh.imports.apple.Fixtures.CONTROL_CHARS;
import static io.healthmesh.imports.apple.Fixtures.JOB;
import static io.healthmesh.imports.apple.Fixtures.LOS_ANGELES;
import static io.healthmesh.imports.apple.Fixtures.TRUNCATED;
import static io.healthmesh.imports.apple.Fixtures.XXE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.event.SleepStageInterval;
import io.healthmesh.imports.archive.ExportRejectedException.Reason;
import io.healthmesh.imports.archive.HostileArchiveException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipException;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

class AppleExportHardeningTest {

    @TempDir
    Path temp;

    @Test
    void aTruncatedExportKeepsWhatWasParsedAndSaysWhere() {
        CollectingHandler handler = new CollectingHandler();

        MalformedExportException error = catchThrowableOfType(
                () -> parse(Fixtures.bytes(TRUNCATED), handler), MalformedExportException.class);

        // The file ends in line 18, cut after 'startDate="2024-03-12 08:': the DOCTYPE's eight lines
        // were removed without shifting the line numbers. Columns count bytes ("’" is three).
        String text = new String(Fixtures.bytes(TRUNCATED), StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        assertThat(lines).hasSize(18);
        assertThat(error.line()).isEqualTo(18);
        assertThat(error.column()).isEqualTo(lines[17].getBytes(StandardCharsets.UTF_8).length + 1);
        assertThat(error.getMessage()).startsWith("The export is damaged or incomplete at line 18, column ")
                .containsIgnoringCase("unexpected end-of-input")
                .endsWith("The 6 records before it were read (readings imported: 2, sessions: 1).");
        assertThat(error.summary().recordsRead()).isEqualTo(6);
        assertThat(error.summary().readings()).isEqualTo(2);
        // The night read before the cut is assembled all the same.
        assertThat(error.summary().sessions()).isEqualTo(1);
        assertThat(handler.readings).extracting(Reading::metric).containsExactly("steps", "heart_rate");
        assertThat(handler.readings.get(1).zone()).isEqualTo("Europe/Berlin");
        Session night = handler.sessions.get(0);
        assertThat(night.type()).isEqualTo(SessionType.SLEEP);
        assertThat(night.details().stages()).extracting(SleepStageInterval::stage)
                .containsExactly(SleepStage.LIGHT, SleepStage.DEEP);
    }

    @Test
    void theBrokenIos16DtdIsSkipped() throws Exception {
        // Proof that the fixture is broken the way iOS 16.0 breaks it: a strict parser stops in the DTD.
        DocumentBuilderFactory strict = DocumentBuilderFactory.newInstance();
        strict.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        DocumentBuilder builder = strict.newDocumentBuilder();
        builder.setErrorHandler(new DefaultHandler());
        assertThatThrownBy(() -> builder.parse(new ByteArrayInputStream(Fixtures.bytes(BROKEN_DTD))))
                .isInstanceOf(SAXParseException.class)
                .hasMessageContaining("VisionPrescription");

        Fixtures.Parsed parsed = Fixtures.parse(BROKEN_DTD, LOS_ANGELES);

        assertThat(parsed.handler().readings).extracting(Reading::metric, Reading::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("body_mass", 72.4),
                org.assertj.core.groups.Tuple.tuple("steps", 640.0));
        assertThat(parsed.summary().skipped(SkipReason.VISION_PRESCRIPTION)).isEqualTo(1);
        assertThat(parsed.summary().skipped(SkipReason.EXPORT_DATE)).isEqualTo(1);
    }

    @Test
    void illegalControlCharactersAreDropped() {
        Fixtures.Parsed parsed = Fixtures.parse(CONTROL_CHARS, LOS_ANGELES);

        List<Reading> readings = parsed.handler().readings;
        assertThat(readings).hasSize(2);
        assertThat(readings.get(0).app()).isEqualTo("Health Mate");
        assertThat(readings.get(0).zone()).isEqualTo("Europe/Paris");
        assertThat(readings.get(0).value()).isEqualTo(64.1);
        assertThat(readings.get(1).app()).isEqualTo("Pacer");
        assertThat(readings.get(1).value()).isEqualTo(1200.0);
    }

    @Test
    void anExternalEntityFailsTheParseWithoutReadingTheFile() throws Exception {
        assertThat(Files.readString(Path.of("/etc/passwd"))).contains("root:");
        CollectingHandler handler = new CollectingHandler();

        MalformedExportException error = catchThrowableOfType(
                () -> parse(Fixtures.bytes(XXE), handler), MalformedExportException.class);

        assertThat(error.line()).isEqualTo(8);
        assertThat(error.getMessage()).contains("ENTITY_REFERENCE (xxe)");
        assertThat(handler.readings).hasSize(1);
        assertThat(emittedText(handler)).doesNotContain("root:");
    }

    @Test
    void noEntityFormReadsASecretFile() throws Exception {
        Path secret = temp.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-4711");
        Path externalDtd = temp.resolve("evil.dtd");
        Files.writeString(externalDtd, "<!ENTITY leak SYSTEM \"" + secret.toUri() + "\">");
        String record = "<Record type=\"HKQuantityTypeIdentifierStepCount\" sourceName=\"%s\" unit=\"count\" "
                + "startDate=\"2024-03-12 08:40:00 -0700\" endDate=\"2024-03-12 08:50:00 -0700\" value=\"10\">%s</Record>";
        List<String> attacks = List.of(
                // Internal subset, used in content and in an attribute.
                "<!DOCTYPE HealthData [<!ENTITY leak SYSTEM \"" + secret.toUri() + "\">]><HealthData>"
                        + String.format(record, "Phone", "&leak;") + "</HealthData>",
                "<!DOCTYPE HealthData [<!ENTITY leak SYSTEM \"" + secret.toUri() + "\">]><HealthData>"
                        + String.format(record, "&leak;", "") + "</HealthData>",
                // External subset and parameter entities.
                "<!DOCTYPE HealthData SYSTEM \"" + externalDtd.toUri() + "\"><HealthData>"
                        + String.format(record, "Phone", "&leak;") + "</HealthData>",
                "<!DOCTYPE HealthData [<!ENTITY % dtd SYSTEM \"" + externalDtd.toUri() + "\"> %dtd;]><HealthData>"
                        + String.format(record, "&leak;", "") + "</HealthData>");

        for (String attack : attacks) {
            CollectingHandler handler = new CollectingHandler();
            MalformedExportException error = catchThrowableOfType(
                    () -> parse(attack.getBytes(StandardCharsets.UTF_8), handler), MalformedExportException.class);
            assertThat(error).as(attack).isNotNull();
            assertThat(error.getMessage()).contains("leak");
            assertThat(emittedText(handler)).doesNotContain("TOP-SECRET");
            assertThat(handler.readings).isEmpty();
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void billionLaughsFailsWithoutExpandingAnything() {
        CollectingHandler handler = new CollectingHandler();

        MalformedExportException error = catchThrowableOfType(
                () -> parse(Fixtures.bytes(BILLION_LAUGHS), handler), MalformedExportException.class);

        assertThat(error.line()).isEqualTo(15);
        assertThat(error.getMessage()).contains("undeclared entity &lol9;");
        assertThat(handler.readings).isEmpty();
        assertThat(error.summary().recordsRead()).isEqualTo(1);
    }

    @Test
    void theParserAloneExpandsNoEntityEvenWhenTheDoctypeReachesIt() throws Exception {
        // Defence in depth: bypass the DOCTYPE filter and give the factory a declared entity.
        String xml = "<!DOCTYPE r [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;\">]><r>&lol1;</r>";
        XMLStreamReader reader = AppleExportParser.createFactory()
                .createXMLStreamReader(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        List<Integer> events = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (reader.hasNext()) {
            int event = reader.next();
            events.add(event);
            if (event == XMLStreamConstants.CHARACTERS) {
                text.append(reader.getText());
            }
        }
        assertThat(events).contains(XMLStreamConstants.ENTITY_REFERENCE);
        assertThat(text.toString()).doesNotContain("lol");

        String inAttribute = "<!DOCTYPE r [<!ENTITY lol \"lol\">]><r a=\"&lol;\"/>";
        XMLStreamReader attributeReader = AppleExportParser.createFactory()
                .createXMLStreamReader(new ByteArrayInputStream(inAttribute.getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> {
            while (attributeReader.hasNext()) {
                attributeReader.next();
            }
        }).isInstanceOf(XMLStreamException.class);
    }

    @Test
    void aGiantTagFailsBeforeItFillsTheHeap() {
        byte[] head = "<HealthData>\n <Record type=\"".getBytes(StandardCharsets.UTF_8);
        byte[] giant = new byte[XmlSanitizingInputStream.MAX_BYTES_BETWEEN_TAGS + 1];
        java.util.Arrays.fill(giant, (byte) 'a');
        InputStream xml = new SequenceInputStream(new ByteArrayInputStream(head), new ByteArrayInputStream(giant));

        MalformedExportException error = catchThrowableOfType(
                () -> new AppleExportParser(JOB, LOS_ANGELES).parse(xml, new CollectingHandler()),
                MalformedExportException.class);

        assertThat(error.getMessage()).contains("more than 8 MiB without a new tag");
    }

    @Test
    void deepNestingFails() {
        String xml = "<HealthData>" + "<Record>".repeat(40) + "</Record>".repeat(40) + "</HealthData>";

        MalformedExportException error = catchThrowableOfType(
                () -> parse(xml.getBytes(StandardCharsets.UTF_8), new CollectingHandler()), MalformedExportException.class);

        assertThat(error.getMessage()).contains("elements nested more than 32 deep");
    }

    @Test
    void anotherRootElementIsNoAppleExport() {
        String cda = "<?xml version=\"1.0\"?>\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title/></ClinicalDocument>";
        MalformedExportException error = catchThrowableOfType(
                () -> parse(cda.getBytes(StandardCharsets.UTF_8), new CollectingHandler()), MalformedExportException.class);

        assertThat(error.getMessage()).contains("not an Apple Health export").contains("<ClinicalDocument>");
        assertThat(error.line()).isEqualTo(2);
    }

    @Test
    void anEmptyFileIsMalformed() {
        MalformedExportException error = catchThrowableOfType(
                () -> parse(new byte[0], new CollectingHandler()), MalformedExportException.class);
        assertThat(error).isNotNull();
        assertThat(error.summary().recordsRead()).isZero();
    }

    @Test
    void aDamagedArchiveEndsTheParseAsMalformedKeepingWhatWasRead() {
        CollectingHandler handler = new CollectingHandler();
        InputStream damaged = failingAfter(firstRecords(), new ZipException("invalid stored block lengths"));

        MalformedExportException error = catchThrowableOfType(
                () -> new AppleExportParser(JOB, LOS_ANGELES).parse(damaged, handler), MalformedExportException.class);

        assertThat(error.getMessage()).contains("the archive ends early or is damaged")
                .contains("invalid stored block lengths");
        assertThat(handler.readings).hasSize(2);

        InputStream cut = failingAfter(firstRecords(), new EOFException("Unexpected end of ZLIB input stream"));
        assertThatThrownBy(() -> new AppleExportParser(JOB, LOS_ANGELES).parse(cut, new CollectingHandler()))
                .isInstanceOf(MalformedExportException.class);
    }

    @Test
    void aZipBombDetectedWhileParsingIsRethrownAsIs() {
        CollectingHandler handler = new CollectingHandler();
        HostileArchiveException bomb = new HostileArchiveException(Reason.ZIP_BOMB, "zip bomb");

        assertThatThrownBy(() -> new AppleExportParser(JOB, LOS_ANGELES)
                .parse(failingAfter(firstRecords(), bomb), handler)).isSameAs(bomb);
        assertThat(handler.readings).hasSize(2);

        IOException disk = new IOException("disk gone");
        assertThatThrownBy(() -> new AppleExportParser(JOB, LOS_ANGELES)
                .parse(failingAfter(firstRecords(), disk), new CollectingHandler())).isSameAs(disk);
    }

    private static byte[] firstRecords() {
        // The whole file up to where it was cut, minus the cut record: two complete records then more to read.
        String text = new String(Fixtures.bytes(TRUNCATED), StandardCharsets.UTF_8);
        int cut = text.indexOf(" <Record type=\"HKCategoryTypeIdentifierSleepAnalysis\"");
        return text.substring(0, cut).getBytes(StandardCharsets.UTF_8);
    }

    private static InputStream failingAfter(byte[] bytes, IOException failure) {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw failure;
            }
        };
        return new SequenceInputStream(new ByteArrayInputStream(bytes), failing);
    }

    private static void parse(byte[] xml, CollectingHandler handler) throws Exception {
        new AppleExportParser(JOB, LOS_ANGELES).parse(new ByteArrayInputStream(xml), handler);
    }

    private static String emittedText(CollectingHandler handler) {
        StringBuilder text = new StringBuilder();
        handler.readings.forEach(reading -> text.append(reading).append('\n'));
        handler.sessions.forEach(session -> text.append(session).append('\n'));
        handler.skipped.keySet().forEach(reason -> text.append(reason).append('\n'));
        return text.toString();
    }
}
