package io.healthmesh.connector.sync.fake;

import io.healthmesh.connector.connection.ConnectionDirectory;
import io.healthmesh.connector.connection.ConnectionRef;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.contracts.status.ConnectionState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections side as the sync tests need it: connections in memory, tokens that count their
 * refreshes, grants that can be refused, and every report kept. An alternative enabled only by
 * {@code SyncTestProfile}, so that it replaces the kit's real directory in these tests alone.
 */
@Alternative
@ApplicationScoped
public class FakeConnectionDirectory implements ConnectionDirectory {

    public record Report(String userId, String source, ConnectionState state, Double progress, String reason,
            OffsetDateTime lastSuccessfulSync, OffsetDateTime nextSync) {
    }

    public record TokenRequest(String userId, String source, String refusedToken) {
    }

    private final Map<String, ConnectionRef> connections = new ConcurrentHashMap<>();
    private final Set<String> paused = ConcurrentHashMap.newKeySet();
    private final Set<String> grantRefused = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> refreshes = new ConcurrentHashMap<>();
    private final List<Report> reports = new CopyOnWriteArrayList<>();
    private final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();

    public ConnectionRef connect(String userId, String source, String providerUserId) {
        ConnectionRef ref = new ConnectionRef(userId, source, providerUserId);
        connections.put(key(userId, source), ref);
        return ref;
    }

    public void forget(String userId, String source) {
        connections.remove(key(userId, source));
    }

    /** The connection stays but may not sync (token_expired, say). */
    public void pause(String userId, String source) {
        paused.add(key(userId, source));
    }

    /** The next refresh is refused: the connection becomes token_expired. */
    public void refuseGrant(String userId, String source) {
        grantRefused.add(key(userId, source));
    }

    public List<Report> reports(String userId) {
        return reports.stream().filter(report -> report.userId().equals(userId)).toList();
    }

    public List<TokenRequest> tokenRequests(String userId) {
        return tokenRequests.stream().filter(request -> request.userId().equals(userId)).toList();
    }

    @Override
    public Optional<ConnectionRef> find(String userId, String source) {
        return Optional.ofNullable(connections.get(key(userId, source)));
    }

    @Override
    public Optional<ConnectionRef> byProviderUser(String source, String providerUserId) {
        return connections.values().stream()
                .filter(ref -> ref.source().equals(source) && ref.providerUserId().equals(providerUserId))
                .findFirst();
    }

    @Override
    public boolean maySync(String userId, String source) {
        String key = key(userId, source);
        return connections.containsKey(key) && !paused.contains(key);
    }

    @Override
    public String accessToken(String userId, String source, String refusedToken) throws ProviderException {
        tokenRequests.add(new TokenRequest(userId, source, refusedToken));
        String key = key(userId, source);
        if (grantRefused.contains(key)) {
            paused.add(key);
            report(userId, source, ConnectionState.TOKEN_EXPIRED, null, "refresh refused", null, null);
            throw new ProviderException(ProviderException.Kind.GRANT_REFUSED, "the refresh token was refused");
        }
        AtomicInteger count = refreshes.computeIfAbsent(key, k -> new AtomicInteger(1));
        if (refusedToken != null && refusedToken.equals(token(userId, count.get()))) {
            count.incrementAndGet();
        }
        return token(userId, count.get());
    }

    @Override
    public void report(String userId, String source, ConnectionState state, Double progress, String reason,
            OffsetDateTime lastSuccessfulSync, OffsetDateTime nextSync) {
        reports.add(new Report(userId, source, state, progress, reason, lastSuccessfulSync, nextSync));
    }

    public static String token(String userId, int generation) {
        return "token-" + generation + "-" + userId;
    }

    private static String key(String userId, String source) {
        return userId + "|" + source;
    }
}
