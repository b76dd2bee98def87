package io.healthmesh.connector.sync;

import io.healthmesh.connector.sync.fake.FakeActivitySync;
import io.healthmesh.connector.sync.fake.FakeConnectionDirectory;
import io.healthmesh.connector.sync.fake.FakeMeasuresSync;
import io.healthmesh.connector.sync.fake.FakeSleepSync;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sync side's tests: the fake connection directory and the fake Withings data types (CDI
 * alternatives, so that no other test of the module sees them) over the stack of
 * {@link SyncStackResource}, with the app's own sync worker off.
 */
public class SyncTestProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FakeConnectionDirectory.class, FakeMeasuresSync.class, FakeActivitySync.class,
                FakeSleepSync.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SyncStackResource.class, Map.of("worker", worker())));
    }

    protected String worker() {
        return "off";
    }

    /** The same, with the app's own worker started at startup as in a service. */
    public static class WorkerOn extends SyncTestProfile {
        @Override
        protected String worker() {
            return "on";
        }
    }
}
