package io.healthmesh.withings.service;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static io.healthmesh.withings.WithingsSimulator.action;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.contracts.validation.EventValidator;
import io.healthmesh.contracts.validation.Violation;
import io.healthmesh.withings.TestSyncContext;
import io.healthmesh.withings.WithingsSimulator;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Whatever the three data types publish from the fixtures must pass the validator the normalizer applies. */
class EveryEventIsValidTest {

    private static final EventValidator VALIDATOR = new EventValidator();
    private static final OffsetDateTime NOW = OffsetDateTime.parse("2024-04-02T10:00:00Z");

    private WithingsSimulator withings;

    @BeforeEach
    void start() {
        withings = new WithingsSimulator();
        withings.stub(action("/measure", "getmeas").withFormParam("offset", absent()), "getmeas-page1.json");
        withings.stub(action("/measure", "getmeas").withFormParam("offset", equalTo("3")), "getmeas-page2.json");
        withings.stub(action("/v2/measure", "getactivity"), "getactivity.json");
        withings.stub(action("/v2/sleep", "getsummary"), "sleep-summary.json");
    }

    @AfterEach
    void stop() {
        withings.close();
    }

    @Test
    void everyReadingAndSessionPassesTheValidator() throws Exception {
        TestSyncContext context = new TestSyncContext();

        new WithingsMeasuresSync(withings.api).sync(context, null, null, null);
        new WithingsActivitySync(withings.api).sync(context, null, null, null);
        new WithingsSleepSync(withings.api).sync(context, null, null, null);

        assertThat(context.readings).hasSize(23 + 12);
        assertThat(context.sessions).hasSize(2);
        for (Reading reading : context.readings) {
            List<Violation> violations = VALIDATOR.validate(
                    Envelope.reading("user-1", SourceId.WITHINGS, reading, NOW), Topics.RAW_WITHINGS);
            assertThat(violations).as(reading.toString()).isEmpty();
        }
        for (Session session : context.sessions) {
            List<Violation> violations = VALIDATOR.validate(
                    Envelope.session("user-1", SourceId.WITHINGS, session, NOW), Topics.RAW_WITHINGS);
            assertThat(violations).as(session.toString()).isEmpty();
        }
    }

    @Test
    void everyMappedMeasureTypeFitsItsMetric() {
        // A mid-range value of each type, as Withings would scale it, in the unit the sync sends.
        for (MeasureTypes.MeasureType type : MeasureTypes.all().values()) {
            if (!type.mapped()) {
                continue;
            }
            double value = switch (type.metric()) {
                case "height" -> 1.8;
                case "body_temperature", "skin_temperature" -> 36.5;
                case "pulse_wave_velocity" -> 8;
                case "bone_mass" -> 3;
                case "oxygen_saturation" -> 97;
                default -> 50;
            };
            Reading reading = Reading.builder().sourceRecordId("1").metric(type.metric()).value(value)
                    .unit(type.unit()).at(NOW).zone("Europe/Paris").build();
            assertThat(VALIDATOR.validate(Envelope.reading("user-1", SourceId.WITHINGS, reading, NOW),
                    Topics.RAW_WITHINGS)).as(type.toString()).isEmpty();
        }
    }
}
