package io.healthmesh.connector.sync.fake;

import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scriptable provider behind the fake Withings data types: per user, what a sync does (publish,
 * throw, block), and every call recorded. Without a script a sync makes one request, publishes one
 * reading and returns a new cursor.
 */
@ApplicationScoped
public class FakeProvider {

    public static final String SOURCE = "withings";

    /** One call of a data type's sync. */
    public record Call(String userId, String dataType, String cursor, Instant from, Instant to, String thread) {
    }

    @FunctionalInterface
    public interface Behavior {
        String sync(SyncContext context, Call call) throws ProviderException, InterruptedException;
    }

    public static final Behavior ONE_READING = (context, call) -> {
        context.beforeRequest();
        context.accessToken();
        context.reading(reading(call.dataType(), 1));
        return "after-" + call.dataType();
    };

    private final Map<String, Behavior> scripts = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Throwable> endings = new CopyOnWriteArrayList<>();

    public void script(String userId, Behavior behavior) {
        scripts.put(userId, behavior);
    }

    public List<Call> calls(String userId) {
        return calls.stream().filter(call -> call.userId().equals(userId)).toList();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** What each sync that did not return threw. */
    public List<Throwable> endings() {
        return List.copyOf(endings);
    }

    String sync(String dataType, SyncContext context, String cursor, Instant from, Instant to)
            throws ProviderException, InterruptedException {
        Call call = new Call(context.userId(), dataType, cursor, from, to, Thread.currentThread().getName());
        calls.add(call);
        try {
            return scripts.getOrDefault(context.userId(), ONE_READING).sync(context, call);
        } catch (ProviderException | InterruptedException | RuntimeException e) {
            endings.add(e);
            throw e;
        }
    }

    public static Reading reading(String dataType, int n) {
        OffsetDateTime at = OffsetDateTime.of(2026, 11, 1, 8, 0, 0, 0, ZoneOffset.UTC).plusMinutes(n);
        return Reading.builder().sourceRecordId(dataType + "-" + n).metric("body_mass").value(70.0 + n / 10.0)
                .unit("kg").start(at).end(at).device("Body+").build();
    }

    public static Session session(String dataType, int n) {
        OffsetDateTime start = OffsetDateTime.of(2026, 11, 1, 23, 0, 0, 0, ZoneOffset.UTC).plusDays(n);
        return Session.builder().sourceRecordId(dataType + "-night-" + n).type(SessionType.SLEEP).start(start)
                .end(start.plusHours(7)).device("Sleep Analyzer").build();
    }
}
