package io.healthmesh.connector.sync.service;

import static io.healthmesh.connector.sync.fake.FakeProvider.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.healthmesh.connector.connection.ConnectionRef;
import io.healthmesh.connector.provider.DocumentChange;
import io.healthmesh.connector.sync.SyncTestProfile;
import io.healthmesh.connector.sync.SyncStackResource;
import io.healthmesh.connector.sync.SyncTables;
import io.healthmesh.connector.sync.SyncTables.TaskRow;
import io.healthmesh.connector.sync.domain.SyncTask;
import io.healthmesh.connector.sync.fake.FakeConnectionDirectory;
import io.healthmesh.connector.sync.fake.FakeMeasuresSync;
import io.healthmesh.connector.sync.fake.FakeProvider;
import io.healthmesh.connector.sync.fake.FakeProvider.Call;
import io.healthmesh.connector.sync.repository.SyncTaskRepository;
import io.healthmesh.connector.testing.KitDb;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replicas sharing the work: leases that run out, claims that never overlap, connections that may
 * not sync, schedules and notifications turned into tasks.
 */
@QuarkusTest
@TestProfile(SyncTestProfile.class)
class SyncWorkerTest {

    private static final String MEASURES = FakeMeasuresSync.DATA_TYPE;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    FakeConnectionDirectory directory;

    @Inject
    FakeProvider provider;

    @Inject
    Workers workers;

    @Inject
    SyncTaskRepository tasks;

    @Inject
    SyncService scheduler;

    @BeforeEach
    void empty() {
        SyncTables.reset();
    }

    @AfterEach
    void stopWorkers() {
        workers.stopAll();
    }

    @Test
    void aRunningTaskWhoseLeaseRanOutIsClaimedByAnotherReplica() {
        String orphaned = connectedUser();
        String held = connectedUser();
        Instant now = SyncTables.dbNow();
        UUID dead = SyncTables.insertTask(orphaned, MEASURES, "incremental", "running", "dead-replica",
                now.minusSeconds(60), 1, null);
        UUID alive = SyncTables.insertTask(held, MEASURES, "incremental", "running", "alive-replica",
                now.plus(Duration.ofMinutes(10)), 1, null);
        CountDownLatch release = new CountDownLatch(1);
        provider.script(orphaned, (context, call) -> {
            release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            context.reading(reading(call.dataType(), 1));
            return "taken-over";
        });

        workers.worker("replica-b").tick();

        await().atMost(WAIT).until(() -> "replica-b".equals(SyncTables.task(dead).leaseOwner()));
        TaskRow claimed = SyncTables.task(dead);
        assertThat(claimed.state()).isEqualTo("running");
        assertThat(claimed.attempts()).isEqualTo(2);
        assertThat(claimed.leaseExpiresAt()).isAfter(now.plusSeconds(30));
        release.countDown();
        await().atMost(WAIT).until(() -> SyncTables.task(dead).state().equals("done"));
        assertThat(SyncTables.cursor(orphaned, MEASURES)).contains("taken-over");

        TaskRow untouched = SyncTables.task(alive);
        assertThat(untouched.state()).isEqualTo("running");
        assertThat(untouched.leaseOwner()).isEqualTo("alive-replica");
        assertThat(untouched.attempts()).isEqualTo(1);
        assertThat(provider.calls(held)).isEmpty();
    }

    @Test
    void concurrentClaimsNeverHandOutTheSameTaskTwice() throws Exception {
        Set<UUID> queued = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            queued.add(SyncTables.queued("claims-" + i + "-" + UUID.randomUUID(), MEASURES, "incremental"));
        }
        ExecutorService replicas = Executors.newFixedThreadPool(4);
        Map<UUID, String> claimedBy = new ConcurrentHashMap<>();
        AtomicInteger twice = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                String owner = "replica-" + r;
                done.add(replicas.submit(() -> {
                    for (Optional<SyncTask> task = tasks.claim(owner, Duration.ofMinutes(1)); task.isPresent();
                            task = tasks.claim(owner, Duration.ofMinutes(1))) {
                        if (claimedBy.putIfAbsent(task.get().id(), owner) != null) {
                            twice.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(1, TimeUnit.MINUTES);
            }
        } finally {
            replicas.shutdownNow();
        }

        assertThat(twice).hasValue(0);
        assertThat(claimedBy.keySet()).isEqualTo(queued);
        for (Map.Entry<UUID, String> claim : claimedBy.entrySet()) {
            TaskRow row = SyncTables.task(claim.getKey());
            assertThat(row.leaseOwner()).isEqualTo(claim.getValue());
            assertThat(row.attempts()).isEqualTo(1);
        }
    }

    @Test
    void twoWorkersNeverRunTheSameTask() {
        Set<String> running = ConcurrentHashMap.newKeySet();
        AtomicInteger overlaps = new AtomicInteger();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String user = connectedUser();
            users.add(user);
            for (String type : List.of("measures", "activity", "sleep")) {
                SyncTables.queued(user, type, "incremental");
            }
            provider.script(user, (context, call) -> {
                String key = call.userId() + "|" + call.dataType();
                if (!running.add(key)) {
                    overlaps.incrementAndGet();
                }
                try {
                    Thread.sleep(100);
                    context.reading(reading(call.dataType(), 1));
                    return "c1";
                } finally {
                    running.remove(key);
                }
            });
        }
        SyncWorker a = workers.worker("replica-a", 2);
        SyncWorker b = workers.worker("replica-b", 2);
        a.start();
        b.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> SyncTables.allTasks().stream()
                .allMatch(task -> task.state().equals("done")));

        assertThat(overlaps).hasValue(0);
        List<Call> calls = users.stream().flatMap(user -> provider.calls(user).stream()).toList();
        Map<String, Long> runsPerTask = calls.stream()
                .collect(Collectors.groupingBy(call -> call.userId() + "|" + call.dataType(), Collectors.counting()));
        assertThat(runsPerTask).hasSize(30).allSatisfy((task, runs) -> assertThat(runs).isEqualTo(1));
        assertThat(calls).extracting(call -> call.thread().startsWith("replica-a") ? "a" : "b")
                .contains("a", "b");
    }

    @Test
    void tasksOfAConnectionThatMayNotSyncAreCancelledUnrun() {
        String paused = connectedUser();
        directory.pause(paused, "withings");
        String unknown = "nobody-" + UUID.randomUUID();
        UUID pausedTask = SyncTables.queued(paused, MEASURES, "incremental");
        UUID unknownTask = SyncTables.queued(unknown, MEASURES, "incremental");

        workers.worker("replica-a").tick();

        assertThat(SyncTables.task(pausedTask).state()).isEqualTo("cancelled");
        assertThat(SyncTables.task(pausedTask).lastError()).contains("may not sync");
        assertThat(SyncTables.task(unknownTask).state()).isEqualTo("cancelled");
        assertThat(SyncTables.task(unknownTask).lastError()).isEqualTo("no connection");
        assertThat(provider.calls(paused)).isEmpty();
        assertThat(provider.calls(unknown)).isEmpty();
    }

    @Test
    void aDueScheduleQueuesOneIncrementalSyncPerDataTypeUnlessOneIsPending() {
        String user = connectedUser();
        SyncTables.addSchedule(user);
        UUID pending = SyncTables.insertTask(user, MEASURES, "incremental", "queued", null, null, 0,
                Instant.now().plus(Duration.ofHours(1)));
        SyncWorker worker = workers.worker("replica-a");

        worker.tick();

        await().atMost(WAIT).until(() -> incrementals(user, "activity", "done") == 1
                && incrementals(user, "sleep", "done") == 1);
        assertThat(incrementals(user, MEASURES, null)).isEqualTo(1);
        assertThat(SyncTables.task(pending).state()).isEqualTo("queued");
        Instant next = SyncTables.nextSync(user).orElseThrow();
        assertThat(next).isBetween(SyncTables.dbNow().plus(Duration.ofMinutes(59)),
                SyncTables.dbNow().plus(Duration.ofMinutes(61)));
        assertThat(provider.calls(user)).allSatisfy(call -> {
            assertThat(call.from()).isNull();
            assertThat(call.to()).isNull();
        });

        SyncTables.makeScheduleDue(user);
        worker.tick();

        await().atMost(WAIT).until(() -> incrementals(user, "activity", "done") == 2
                && incrementals(user, "sleep", "done") == 2);
        assertThat(incrementals(user, MEASURES, null)).isEqualTo(1);
    }

    @Test
    void noIncrementalSyncIsQueuedWhileTheBackfillIsPending() {
        ConnectionRef connection = directory.connect("user-" + UUID.randomUUID(), "withings", "wid-1");
        scheduler.connected(connection);
        SyncTables.makeScheduleDue(connection.userId());

        workers.worker("replica-a", 0).tick();

        assertThat(SyncTables.tasksOf(connection.userId())).extracting(TaskRow::kind).containsOnly("backfill");
        assertThat(SyncTables.nextSync(connection.userId()).orElseThrow()).isAfter(SyncTables.dbNow());
    }

    @Test
    void aNotificationForAnUnknownProviderUserIsProcessedWithoutEffect() {
        String stranger = "wid-" + UUID.randomUUID();
        scheduler.notified("withings", stranger, MEASURES, Instant.now().minusSeconds(3600), Instant.now(),
                "userid=" + stranger + "&appli=1");
        assertThat(SyncTables.notifications(stranger)).singleElement()
                .satisfies(row -> assertThat(row.processedAt()).isNull());

        workers.worker("replica-a").tick();

        assertThat(SyncTables.notifications(stranger)).singleElement()
                .satisfies(row -> assertThat(row.processedAt()).isNotNull());
        assertThat(SyncTables.allTasks()).isEmpty();
    }

    @Test
    void aNotificationForAKnownUserBecomesATargetedSyncOfItsWindow() {
        String user = connectedUser();
        String providerUser = "wid-" + user;
        Instant from = Instant.parse("2026-11-20T06:00:00Z");
        Instant to = Instant.parse("2026-11-20T07:00:00Z");
        scheduler.notified("withings", providerUser, MEASURES, from, to, "userid=" + providerUser + "&appli=1");

        workers.worker("replica-a").tick();

        assertThat(SyncTables.notifications(providerUser)).singleElement()
                .satisfies(row -> assertThat(row.processedAt()).isNotNull());
        List<TaskRow> targeted = SyncTables.tasksOf(user);
        assertThat(targeted).singleElement().satisfies(task -> {
            assertThat(task.kind()).isEqualTo("targeted");
            assertThat(task.dataType()).isEqualTo(MEASURES);
            assertThat(task.windowFrom()).isEqualTo(from);
            assertThat(task.windowTo()).isEqualTo(to);
        });
        await().atMost(WAIT).until(() -> SyncTables.task(targeted.get(0).id()).state().equals("done"));
        assertThat(provider.calls(user)).singleElement().satisfies(call -> {
            assertThat(call.from()).isEqualTo(from);
            assertThat(call.to()).isEqualTo(to);
        });
    }

    @Test
    void aNotificationNamingADocumentBecomesATargetedSyncOfThatDocument() throws Exception {
        String user = connectedUser();
        String providerUser = "wid-" + user;
        SyncTables.setCursor(user, MEASURES, "c0");
        scheduler.notifiedDocument("withings", providerUser, MEASURES,
                new DocumentChange("doc-1", DocumentChange.Kind.DELETED), "{\"object_id\":\"doc-1\"}");

        workers.worker("replica-a").tick();

        List<TaskRow> targeted = SyncTables.tasksOf(user);
        assertThat(targeted).singleElement().satisfies(task -> {
            assertThat(task.kind()).isEqualTo("targeted");
            assertThat(task.windowFrom()).isNull();
        });
        Map<String, Object> row = KitDb.row("SELECT document_id, change_kind FROM " + SyncStackResource.SCHEMA + "."
                + "sync_task WHERE id = ?", targeted.get(0).id());
        assertThat(row).containsEntry("document_id", "doc-1").containsEntry("change_kind", "deleted");
        await().atMost(WAIT).until(() -> SyncTables.task(targeted.get(0).id()).state().equals("done"));
        // The fake data type has no document fetch: the default syncs from its cursor.
        assertThat(provider.calls(user)).singleElement().satisfies(call -> {
            assertThat(call.cursor()).isEqualTo("c0");
            assertThat(call.from()).isNull();
        });
    }

    @Test
    void theTasksOfOneDocumentRunOneAtATimeInTheOrderTheyCame() {
        String user = connectedUser();
        UUID update = SyncTables.insertTask(user, MEASURES, "targeted", "queued", null, null, 0,
                Instant.now().plusSeconds(3600));
        UUID delete = SyncTables.queued(user, MEASURES, "targeted");
        UUID otherDocument = SyncTables.queued(user, MEASURES, "targeted");
        document(update, "doc-1", "updated");
        document(delete, "doc-1", "deleted");
        document(otherDocument, "doc-2", "updated");

        // The update waits for its backoff: the delete that came after it waits too; other work goes on.
        assertThat(tasks.claim("replica-a", Duration.ofSeconds(60))).get().extracting(SyncTask::id)
                .isEqualTo(otherDocument);
        assertThat(tasks.claim("replica-a", Duration.ofSeconds(60))).isEmpty();

        KitDb.update("UPDATE " + SyncStackResource.SCHEMA + ".sync_task SET not_before = now() WHERE id = ?", update);
        assertThat(tasks.claim("replica-a", Duration.ofSeconds(60))).get().extracting(SyncTask::id).isEqualTo(update);
        // While the update runs, the delete is not given to another replica.
        assertThat(tasks.claim("replica-b", Duration.ofSeconds(60))).isEmpty();

        assertThat(tasks.done(update, "replica-a", null)).isTrue();
        assertThat(tasks.claim("replica-b", Duration.ofSeconds(60))).get().satisfies(task -> {
            assertThat(task.id()).isEqualTo(delete);
            assertThat(task.document()).isEqualTo(new DocumentChange("doc-1", DocumentChange.Kind.DELETED));
        });
    }

    private static void document(UUID task, String documentId, String change) {
        KitDb.update("UPDATE " + SyncStackResource.SCHEMA + ".sync_task SET document_id = ?, change_kind = ?,"
                + " created_at = clock_timestamp() WHERE id = ?", documentId, change, task);
    }

    @Test
    void aNotificationWithoutADataTypeTargetsEveryDataType() {
        String user = connectedUser();
        scheduler.notified("withings", "wid-" + user, null, null, null, "{}");

        workers.worker("replica-a", 0).tick();

        assertThat(SyncTables.tasksOf(user)).extracting(TaskRow::kind).containsOnly("targeted");
        assertThat(SyncTables.tasksOf(user)).extracting(TaskRow::dataType)
                .containsExactlyInAnyOrder("activity", "measures", "sleep");
    }

    @Test
    void aDisconnectStopsARunningSyncAtItsNextEvent() {
        String user = connectedUser();
        ConnectionRef connection = directory.find(user, "withings").orElseThrow();
        SyncTables.setCursor(user, MEASURES, "c0");
        UUID id = SyncTables.queued(user, MEASURES, "incremental");
        List<Throwable> endings = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger published = new AtomicInteger();
        provider.script(user, (context, call) -> {
            try {
                for (int i = 1; i < 10_000; i++) {
                    context.reading(reading(call.dataType(), i));
                    published.incrementAndGet();
                    Thread.sleep(20);
                }
                return "never";
            } catch (RuntimeException | InterruptedException e) {
                endings.add(e);
                throw e;
            }
        });
        SyncWorker worker = workers.worker("replica-a");
        worker.start();
        await().atMost(WAIT).until(() -> published.get() >= 3);

        scheduler.disconnected(connection);

        await().atMost(WAIT).until(() -> !endings.isEmpty() && worker.running() == 0);
        assertThat(SyncTables.task(id).state()).isEqualTo("cancelled");
        assertThat(SyncTables.cursor(user, MEASURES)).isEmpty();
        int stoppedAt = published.get();
        assertThat(stoppedAt).isLessThan(9_999);
    }

    private long incrementals(String user, String dataType, String state) {
        return SyncTables.tasksOf(user).stream()
                .filter(task -> task.kind().equals("incremental") && task.dataType().equals(dataType))
                .filter(task -> state == null || task.state().equals(state))
                .count();
    }

    private String connectedUser() {
        String user = "user-" + UUID.randomUUID();
        directory.connect(user, "withings", "wid-" + user);
        return user;
    }
}
