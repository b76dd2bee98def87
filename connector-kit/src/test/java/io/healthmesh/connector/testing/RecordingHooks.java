package io.healthmesh.connector.testing;

import io.healthmesh.connector.provider.ConnectionHooks;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.SyncContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Withings-like hooks (subscribe on connect, unsubscribe on disconnect): record the token they were given. */
@ApplicationScoped
public class RecordingHooks implements ConnectionHooks {

    public record Call(String what, String userId, String providerUserId, String accessToken) {
    }

    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private volatile ProviderException connectFailure;

    @Override
    public String source() {
        return FakeWithings.SOURCE;
    }

    @Override
    public void connected(SyncContext context) throws ProviderException {
        calls.add(new Call("connected", context.userId(), context.providerUserId(), context.accessToken()));
        if (connectFailure != null) {
            throw connectFailure;
        }
    }

    @Override
    public void disconnecting(SyncContext context) throws ProviderException {
        calls.add(new Call("disconnecting", context.userId(), context.providerUserId(), context.accessToken()));
    }

    public void failConnect(ProviderException failure) {
        this.connectFailure = failure;
    }

    public List<Call> calls(String userId) {
        return calls.stream().filter(c -> c.userId().equals(userId)).toList();
    }

    public void reset() {
        calls.clear();
        connectFailure = null;
    }
}
