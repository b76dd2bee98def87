package io.healthmesh.contracts;

import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.EventJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The golden event fixtures under {@code src/test/resources/fixtures}. */
public final class Fixtures {

    /** Fixtures that must round-trip unchanged, each with the raw topic its producer path writes to. */
    public static final List<String> GOLDEN = List.of(
            "reading-sample",
            "reading-cumulative",
            "reading-daily",
            "reading-tombstone",
            "reading-with-import-job",
            "session-sleep-stages",
            "session-sleep-totals",
            "session-workout");

    private Fixtures() {
    }

    public static byte[] bytes(String name) {
        String path = "/fixtures/" + name + ".json";
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Envelope envelope(String name) {
        return EventJson.read(bytes(name));
    }
}
