package io.healthmesh.imports.apple;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.event.SleepStageInterval;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SleepSessionAssemblerTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final SleepSessionAssembler assembler = new SleepSessionAssembler("job-1");
    private final List<Session> emitted = new ArrayList<>();

    @Test
    void aGapOfAnHourOrMoreStartsAnotherSession() {
        add("Watch", SleepStage.LIGHT, "2024-03-11T23:00:00+01:00", "2024-03-12T01:00:00+01:00");
        add("Watch", SleepStage.DEEP, "2024-03-12T01:59:00+01:00", "2024-03-12T03:00:00+01:00");
        add("Watch", SleepStage.LIGHT, "2024-03-12T04:00:00+01:00", "2024-03-12T07:00:00+01:00");

        assembler.finish(emitted::add);

        assertThat(emitted).hasSize(2);
        assertThat(emitted.get(0).end()).isEqualTo(OffsetDateTime.parse("2024-03-12T03:00:00+01:00"));
        assertThat(emitted.get(1).start()).isEqualTo(OffsetDateTime.parse("2024-03-12T04:00:00+01:00"));
    }

    @Test
    void overlappingRecordsExtendTheSessionToTheirLatestEnd() {
        add("Watch", SleepStage.IN_BED, "2024-03-11T22:30:00+01:00", "2024-03-12T07:30:00+01:00");
        add("Watch", SleepStage.LIGHT, "2024-03-11T23:00:00+01:00", "2024-03-12T01:00:00+01:00");
        add("Watch", SleepStage.REM, "2024-03-12T07:45:00+01:00", "2024-03-12T08:00:00+01:00");

        assembler.finish(emitted::add);

        assertThat(emitted).hasSize(1);
        Session night = emitted.get(0);
        assertThat(night.start()).isEqualTo(OffsetDateTime.parse("2024-03-11T22:30:00+01:00"));
        assertThat(night.end()).isEqualTo(OffsetDateTime.parse("2024-03-12T08:00:00+01:00"));
        assertThat(night.details().stages()).extracting(SleepStageInterval::stage)
                .containsExactly(SleepStage.IN_BED, SleepStage.LIGHT, SleepStage.REM);
    }

    @Test
    void aShortDaytimeSleepIsANap() {
        assertThat(type("2024-03-12T10:00:00+01:00", "2024-03-12T12:59:00+01:00")).isEqualTo(SessionType.NAP);
        assertThat(type("2024-03-12T18:59:00+01:00", "2024-03-12T19:30:00+01:00")).isEqualTo(SessionType.NAP);
        assertThat(type("2024-03-12T09:59:00+01:00", "2024-03-12T10:30:00+01:00")).isEqualTo(SessionType.SLEEP);
        assertThat(type("2024-03-12T19:00:00+01:00", "2024-03-12T20:00:00+01:00")).isEqualTo(SessionType.SLEEP);
        assertThat(type("2024-03-12T11:00:00+01:00", "2024-03-12T14:00:00+01:00")).isEqualTo(SessionType.SLEEP);
        // Local time comes from the zone, not from the written offset: 09:30 UTC is 10:30 in Paris.
        assertThat(SleepSessionAssembler.type(OffsetDateTime.parse("2024-03-12T09:30:00Z"),
                OffsetDateTime.parse("2024-03-12T10:00:00Z"), PARIS)).isEqualTo(SessionType.NAP);
        assertThat(SleepSessionAssembler.type(OffsetDateTime.parse("2024-03-12T09:30:00Z"),
                OffsetDateTime.parse("2024-03-12T10:00:00Z"), null)).isEqualTo(SessionType.SLEEP);
    }

    @Test
    void sourcesAreAssembledApart() {
        add("Watch", SleepStage.LIGHT, "2024-03-11T23:00:00+01:00", "2024-03-12T06:00:00+01:00");
        add("AutoSleep", SleepStage.ASLEEP_UNSPECIFIED, "2024-03-11T23:05:00+01:00", "2024-03-12T06:10:00+01:00");

        assembler.finish(emitted::add);

        assertThat(emitted).extracting(Session::app).containsExactly("Watch", "AutoSleep");
        assertThat(emitted).extracting(Session::sourceRecordId).doesNotHaveDuplicates();
    }

    @Test
    void noSessionIsLongerThanASleepMayBe() {
        OffsetDateTime start = OffsetDateTime.parse("2024-03-01T00:00:00+01:00");
        for (int hour = 0; hour < 60; hour++) {
            assembler.add("Ring", null, SleepStage.AWAKE, start.plusHours(hour), start.plusHours(hour + 1), null, null,
                    emitted::add);
        }
        assembler.finish(emitted::add);

        assertThat(emitted).hasSize(2);
        assertThat(emitted.get(0).end()).isEqualTo(start.plusHours(48));
    }

    @Test
    void aHugeBufferEmitsAllButEachSourcesLatestSessionEarly() {
        SleepSessionAssembler small = new SleepSessionAssembler("job-1", 10);
        OffsetDateTime firstNight = OffsetDateTime.parse("2024-03-01T23:00:00+01:00");
        for (int night = 0; night < 3; night++) {
            for (int stage = 0; stage < 4; stage++) {
                OffsetDateTime start = firstNight.plusDays(night).plusHours(stage);
                small.add("Watch", null, SleepStage.LIGHT, start, start.plusHours(1), null, null, emitted::add);
            }
        }
        // The tenth record made two complete nights go out; the third night is still open.
        assertThat(emitted).hasSize(2);
        assertThat(emitted.get(1).start()).isEqualTo(firstNight.plusDays(1));

        small.finish(emitted::add);

        assertThat(emitted).hasSize(3);
        assertThat(emitted.get(2).details().stages()).hasSize(4);
    }

    private SessionType type(String start, String end) {
        return SleepSessionAssembler.type(OffsetDateTime.parse(start), OffsetDateTime.parse(end), PARIS);
    }

    private void add(String app, SleepStage stage, String start, String end) {
        assembler.add(app, null, stage, OffsetDateTime.parse(start), OffsetDateTime.parse(end), "Europe/Paris", PARIS,
                emitted::add);
    }
}
