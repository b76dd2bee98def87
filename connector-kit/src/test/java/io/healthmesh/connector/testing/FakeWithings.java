package io.healthmesh.connector.testing;

import io.healthmesh.connector.provider.OAuthProvider;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.TokenGrant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** A Withings OAuth2 adapter without a network: records every call and does what the test set up. */
@ApplicationScoped
public class FakeWithings implements OAuthProvider {

    public static final String SOURCE = "withings";
    public static final String AUTHORIZE = "https://account.withings.test/oauth2_user/authorize2";

    public record Exchange(String code, String codeVerifier, String redirectUri) {
    }

    public record Revoke(String accessToken, String refreshToken) {
    }

    private volatile ProviderException exchangeFailure;
    private volatile RuntimeException exchangeCrash;
    private volatile ProviderException refreshFailure;
    private volatile Duration expiresIn = Duration.ofHours(3);
    private volatile Duration refreshedExpiresIn = Duration.ofHours(3);
    private volatile String providerUserId;
    private volatile boolean rotateRefreshToken = true;
    private volatile long refreshDelayMillis;

    private final Queue<Exchange> exchanges = new ConcurrentLinkedQueue<>();
    private final Queue<String> refreshedWith = new ConcurrentLinkedQueue<>();
    private final Queue<Revoke> revokes = new ConcurrentLinkedQueue<>();
    private final Queue<TokenGrant> granted = new ConcurrentLinkedQueue<>();
    /** Every secret this provider ever handed out or was handed (tokens, codes, verifiers): none may reach a log. */
    private final Queue<String> secrets = new ConcurrentLinkedQueue<>();
    private final AtomicInteger refreshCalls = new AtomicInteger();

    public void reset() {
        exchangeFailure = null;
        exchangeCrash = null;
        refreshFailure = null;
        expiresIn = Duration.ofHours(3);
        refreshedExpiresIn = Duration.ofHours(3);
        providerUserId = null;
        rotateRefreshToken = true;
        refreshDelayMillis = 0;
        exchanges.clear();
        refreshedWith.clear();
        revokes.clear();
        granted.clear();
        refreshCalls.set(0);
    }

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public boolean supportsPkce() {
        return true;
    }

    @Override
    public URI authorizationUrl(String state, String codeChallenge, String redirectUri) {
        return UriBuilder.fromUri(AUTHORIZE)
                .queryParam("response_type", "code")
                .queryParam("client_id", "fake-client")
                .queryParam("scope", "user.metrics,user.activity")
                .queryParam("redirect_uri", redirectUri)
                .queryParam("state", state)
                .queryParam("code_challenge", codeChallenge)
                .queryParam("code_challenge_method", "S256")
                .build();
    }

    @Override
    public TokenGrant exchange(String code, String codeVerifier, String redirectUri) throws ProviderException {
        secrets.add(code);
        if (codeVerifier != null) {
            secrets.add(codeVerifier);
        }
        exchanges.add(new Exchange(code, codeVerifier, redirectUri));
        if (exchangeCrash != null) {
            throw exchangeCrash;
        }
        if (exchangeFailure != null) {
            throw exchangeFailure;
        }
        String user = providerUserId != null ? providerUserId : "wu-" + UUID.randomUUID();
        return grant(expiresIn, user, "user.metrics,user.activity");
    }

    @Override
    public TokenGrant refresh(String refreshToken) throws ProviderException {
        refreshCalls.incrementAndGet();
        refreshedWith.add(refreshToken);
        if (refreshDelayMillis > 0) {
            try {
                Thread.sleep(refreshDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "interrupted");
            }
        }
        if (refreshFailure != null) {
            throw refreshFailure;
        }
        TokenGrant grant = grant(refreshedExpiresIn, null, null);
        return rotateRefreshToken ? grant
                : new TokenGrant(grant.accessToken(), null, grant.expiresIn(), null, null);
    }

    @Override
    public void revoke(String accessToken, String refreshToken) {
        revokes.add(new Revoke(accessToken, refreshToken));
    }

    private TokenGrant grant(Duration lifetime, String user, String scope) {
        String access = "at-" + UUID.randomUUID();
        String refresh = "rt-" + UUID.randomUUID();
        secrets.add(access);
        secrets.add(refresh);
        TokenGrant grant = new TokenGrant(access, refresh, lifetime, user, scope);
        granted.add(grant);
        return grant;
    }

    public void failExchange(ProviderException failure) {
        this.exchangeFailure = failure;
    }

    public void crashExchange(RuntimeException crash) {
        this.exchangeCrash = crash;
    }

    public void failRefresh(ProviderException failure) {
        this.refreshFailure = failure;
    }

    public void expiresIn(Duration lifetime) {
        this.expiresIn = lifetime;
    }

    public void refreshedExpiresIn(Duration lifetime) {
        this.refreshedExpiresIn = lifetime;
    }

    public void providerUserId(String id) {
        this.providerUserId = id;
    }

    public void rotateRefreshToken(boolean rotate) {
        this.rotateRefreshToken = rotate;
    }

    public void refreshDelay(Duration delay) {
        this.refreshDelayMillis = delay.toMillis();
    }

    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    public List<String> refreshedWith() {
        return List.copyOf(refreshedWith);
    }

    public List<Revoke> revokes() {
        return List.copyOf(revokes);
    }

    public List<TokenGrant> granted() {
        return List.copyOf(granted);
    }

    public TokenGrant lastGrant() {
        List<TokenGrant> all = granted();
        return all.get(all.size() - 1);
    }

    public int refreshCalls() {
        return refreshCalls.get();
    }

    public List<String> secrets() {
        return List.copyOf(secrets);
    }
}
