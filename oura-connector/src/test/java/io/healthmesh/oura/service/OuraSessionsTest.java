package io.healthmesh.oura.service;

import static io.healthmesh.oura.OuraSimulator.collection;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.oura.OuraSimulator;
import io.healthmesh.oura.TestSyncContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OuraSessionsTest {

    private OuraSimulator oura;

    @BeforeEach
    void start() {
        oura = new OuraSimulator();
    }

    @AfterEach
    void stop() {
        oura.close();
    }

    @Test
    void aWorkoutIsAWorkoutSessionWithItsActivityEnergyAndDistance() throws Exception {
        oura.stub(collection("workout"), "workout.json");
        TestSyncContext context = new TestSyncContext();

        new OuraWorkoutSync(oura.api, oura.config, OuraSimulator.CLOCK).sync(context, null, null, null);

        Session workout = context.sessions.get(0);
        assertThat(workout.sourceRecordId()).isEqualTo("3d9f5e21-7b4c-4a08-9e63-1c2b8d7f4a59");
        assertThat(workout.type()).isEqualTo(SessionType.WORKOUT);
        assertThat(workout.details().activityType()).isEqualTo("running");
        assertThat(workout.details().energyKcal()).isEqualTo(412.5);
        assertThat(workout.details().distanceMeters()).isEqualTo(6021.3);
    }

    @Test
    void aMeditationIsMindfulnessWithHeartRateAndABodyStatusCheckInIsNoSession() throws Exception {
        oura.stub(collection("session"), "session.json");
        TestSyncContext context = new TestSyncContext();

        new OuraSessionSync(oura.api, oura.config, OuraSimulator.CLOCK).sync(context, null, null, null);

        assertThat(context.sessions).singleElement().satisfies(session -> {
            assertThat(session.type()).isEqualTo(SessionType.MINDFULNESS);
            assertThat(session.details().activityType()).isEqualTo("meditation");
            assertThat(session.details().heartRate().min()).isEqualTo(60);
            assertThat(session.details().heartRate().max()).isEqualTo(66);
            assertThat(session.details().heartRate().average()).isEqualTo(62.8);
        });
        assertThat(context.readings).singleElement().satisfies(tombstone -> {
            assertThat(tombstone.sourceRecordId()).isEqualTo("b47c2e90-1a3f-4d86-a2e5-7f9b0c4d1e38");
            assertThat(tombstone.deleted()).isTrue();
        });
    }
}
