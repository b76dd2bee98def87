package io.healthmesh.imports.apple;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.ZoneId;

/** The XML fixtures under src/test/resources/apple/ and a parse of them. */
final class Fixtures {

    static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");
    static final String JOB = "job-42";
    static final String EVERY_KIND = "export-every-kind.xml";
    static final String TRUNCATED = "truncated.xml";
    static final String BROKEN_DTD = "broken-dtd.xml";
    static final String CONTROL_CHARS = "control-chars.xml";
    static final String XXE = "xxe.xml";
    static final String BILLION_LAUGHS = "billion-laughs.xml";

    private Fixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/apple/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A parse that is expected to succeed. */
    static Parsed parse(String name, ZoneId fallbackZone) {
        CollectingHandler handler = new CollectingHandler();
        try (InputStream in = Fixtures.class.getResourceAsStream("/apple/" + name)) {
            ParseSummary summary = new AppleExportParser(JOB, fallbackZone).parse(in, handler);
            return new Parsed(summary, handler);
        } catch (MalformedExportException | IOException e) {
            throw new AssertionError("parsing " + name + " failed", e);
        }
    }

    record Parsed(ParseSummary summary, CollectingHandler handler) {
    }
}
