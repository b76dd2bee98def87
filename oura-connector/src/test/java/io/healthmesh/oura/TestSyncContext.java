package io.healthmesh.oura;

import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * An in-memory {@link SyncContext}: hands out {@code token-1}; after {@link #tokenRefused()} the
 * next {@link #accessToken()} "refreshes" to {@code token-2}, {@code token-3}, ...; records what is
 * published and counts requests.
 */
public class TestSyncContext implements SyncContext {

    public final List<Reading> readings = new ArrayList<>();
    public final List<Session> sessions = new ArrayList<>();
    public int beforeRequestCalls;
    public int tokenRefusedCalls;
    public int accessTokenCalls;
    public int awaitCalls;

    private final String userId;
    private final String providerUserId;
    private final Deque<String> nextTokens = new ArrayDeque<>();
    private String token = "token-1";
    private boolean refused;
    private int issued = 1;

    public TestSyncContext() {
        this("user-1", "4E3B9C2A1D");
    }

    public TestSyncContext(String userId, String providerUserId) {
        this.userId = userId;
        this.providerUserId = providerUserId;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public String providerUserId() {
        return providerUserId;
    }

    @Override
    public String accessToken() throws ProviderException {
        accessTokenCalls++;
        if (refused) {
            refused = false;
            issued++;
            token = nextTokens.isEmpty() ? "token-" + issued : nextTokens.poll();
        }
        return token;
    }

    @Override
    public void tokenRefused() {
        tokenRefusedCalls++;
        refused = true;
    }

    @Override
    public void beforeRequest() {
        beforeRequestCalls++;
    }

    @Override
    public void reading(Reading reading) {
        readings.add(reading);
    }

    @Override
    public void session(Session session) {
        sessions.add(session);
    }

    @Override
    public void awaitAcknowledged() {
        awaitCalls++;
    }

    public String currentToken() {
        return token;
    }
}
