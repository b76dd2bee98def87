package io.healthmesh.imports.apple;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.contracts.validation.EventValidator;
import io.healthmesh.contracts.validation.Violation;
import java.io.ByteArrayInputStream;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whatever the parser emits from any fixture must pass the validator the normalizer applies. */
class EveryEventIsValidTest {

    private static final EventValidator VALIDATOR = new EventValidator();
    private static final OffsetDateTime NOW = OffsetDateTime.parse("2024-03-13T10:00:00Z");

    @ParameterizedTest
    @CsvSource({
        "export-every-kind.xml, America/Los_Angeles, 40, 9",
        "export-every-kind.xml, , 40, 9",
        "export-every-kind.xml, Europe/Berlin, 40, 9",
        "control-chars.xml, America/Los_Angeles, 2, 0",
        "broken-dtd.xml, Europe/London, 2, 0",
        "truncated.xml, Europe/Berlin, 2, 1",
        "xxe.xml, America/Los_Angeles, 1, 0",
        "billion-laughs.xml, America/Los_Angeles, 0, 0",
    })
    void passesTheValidator(String fixture, String fallbackZone, int readings, int sessions) {
        CollectingHandler handler = new CollectingHandler();
        try {
            new AppleExportParser("job-9", fallbackZone == null ? null : ZoneId.of(fallbackZone))
                    .parse(new ByteArrayInputStream(Fixtures.bytes(fixture)), handler);
        } catch (MalformedExportException expectedForSomeFixtures) {
            // What was emitted before the error is checked all the same.
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        assertThat(handler.readings).hasSize(readings);
        assertThat(handler.sessions).hasSize(sessions);
        for (Reading reading : handler.readings) {
            List<Violation> violations = VALIDATOR.validate(
                    Envelope.reading("user-1", SourceId.APPLE_HEALTH, reading, NOW), Topics.RAW_APPLE_HEALTH);
            assertThat(violations).as(reading.toString()).isEmpty();
        }
        for (Session session : handler.sessions) {
            List<Violation> violations = VALIDATOR.validate(
                    Envelope.session("user-1", SourceId.APPLE_HEALTH, session, NOW), Topics.RAW_APPLE_HEALTH);
            assertThat(violations).as(session.toString()).isEmpty();
        }
    }
}
