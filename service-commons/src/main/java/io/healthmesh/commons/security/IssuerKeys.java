package io.healthmesh.commons.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.Use;
import org.jose4j.lang.JoseException;

/**
 * The signing keys of the issuer of service tokens, fetched over HTTP without blocking the caller
 * (the JDK client's own threads do the I/O) and kept in memory: verification reads
 * {@link #current()}, a stale set is fetched again in the background, and a token whose key id is
 * not in the set triggers a fetch at most once per {@code minRefreshInterval} (key rotation).
 * Concurrent callers share one fetch. A failed fetch keeps the keys already held.
 *
 * <p>The key set's address is {@code jwksUrl} when given, otherwise the {@code jwks_uri} of the
 * issuer's OIDC discovery document ({@code <issuer>/.well-known/openid-configuration}), looked up
 * once.
 */
final class IssuerKeys {

    private static final Logger LOG = Logger.getLogger(IssuerKeys.class);
    static final String DISCOVERY_PATH = "/.well-known/openid-configuration";

    /** What verification uses: one fetched key set, or none yet, and whether the last fetch failed. */
    record Snapshot(Keys keys, boolean lastFetchFailed) {
    }

    /** One fetched key set: only public keys meant for signatures. */
    static final class Keys {
        private final List<JsonWebKey> keys;
        private final Set<String> keyIds;
        private final long fetchedAtNanos;

        Keys(List<JsonWebKey> keys, long fetchedAtNanos) {
            this.keys = List.copyOf(keys);
            this.keyIds = keys.stream().map(JsonWebKey::getKeyId).filter(Objects::nonNull).collect(Collectors.toSet());
            this.fetchedAtNanos = fetchedAtNanos;
        }

        List<JsonWebKey> list() {
            return keys;
        }

        /** Whether a token with this key id (null: none named) can be checked against this set. */
        boolean covers(String keyId) {
            return keyId == null ? !keys.isEmpty() : keyIds.contains(keyId);
        }

        @Override
        public String toString() {
            return "Keys" + keyIds;
        }
    }

    private final String issuer;
    private final URI configuredJwks;
    private final Duration timeout;
    private final long refreshIntervalNanos;
    private final long minRefreshIntervalNanos;
    private final HttpClient http;
    private final LongSupplier nanoTime;

    private volatile Snapshot snapshot = new Snapshot(null, false);
    private volatile URI discoveredJwks;
    // Guarded by this.
    private CompletableFuture<Snapshot> pending;
    private long lastFetchStartedNanos;
    private boolean fetchedOnce;

    IssuerKeys(String issuer, URI jwksUrl, Duration timeout, Duration refreshInterval, Duration minRefreshInterval) {
        this(issuer, jwksUrl, timeout, refreshInterval, minRefreshInterval,
                HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build(),
                System::nanoTime);
    }

    IssuerKeys(String issuer, URI jwksUrl, Duration timeout, Duration refreshInterval, Duration minRefreshInterval,
            HttpClient http, LongSupplier nanoTime) {
        this.issuer = issuer;
        this.configuredJwks = jwksUrl;
        this.timeout = timeout;
        this.refreshIntervalNanos = refreshInterval.toNanos();
        this.minRefreshIntervalNanos = minRefreshInterval.toNanos();
        this.http = http;
        this.nanoTime = nanoTime;
    }

    /** The keys held now (possibly none yet); starts a background fetch when they are stale. */
    Snapshot current() {
        Snapshot now = snapshot;
        if (now.keys() != null && nanoTime.getAsLong() - now.keys().fetchedAtNanos > refreshIntervalNanos) {
            refresh(false);
        }
        return now;
    }

    /**
     * Fetches the keys again unless a fetch started less than {@code minRefreshInterval} ago (then
     * answers what is held); {@code force} ignores that limit. Never fails: a failed fetch answers
     * the keys held before, marked {@link Snapshot#lastFetchFailed()}.
     */
    CompletionStage<Snapshot> refresh(boolean force) {
        CompletableFuture<Snapshot> result;
        synchronized (this) {
            if (pending != null) {
                return pending;
            }
            long now = nanoTime.getAsLong();
            if (!force && fetchedOnce && now - lastFetchStartedNanos < minRefreshIntervalNanos) {
                return CompletableFuture.completedFuture(snapshot);
            }
            fetchedOnce = true;
            lastFetchStartedNanos = now;
            result = new CompletableFuture<>();
            pending = result;
        }
        CompletionStage<Keys> fetch;
        try {
            fetch = fetch();
        } catch (RuntimeException e) {
            fetch = CompletableFuture.failedFuture(e);
        }
        fetch.whenComplete((keys, failure) -> {
            Snapshot next;
            synchronized (this) {
                if (failure == null) {
                    next = new Snapshot(keys, false);
                    LOG.debugf("Fetched the service token signing keys of %s: %s", issuer, keys);
                } else {
                    next = new Snapshot(snapshot.keys(), true);
                    LOG.warnf("Could not fetch the service token signing keys of %s (%s); %s", issuer,
                            describe(failure), next.keys() == null ? "no keys yet" : "keeping the keys held");
                }
                snapshot = next;
                pending = null;
            }
            result.complete(next);
        });
        return result;
    }

    private CompletionStage<Keys> fetch() {
        CompletionStage<URI> jwks;
        if (configuredJwks != null) {
            jwks = CompletableFuture.completedFuture(configuredJwks);
        } else if (discoveredJwks != null) {
            jwks = CompletableFuture.completedFuture(discoveredJwks);
        } else {
            jwks = discover();
        }
        return jwks.thenCompose(uri -> get(uri, "key set")).thenApply(this::parseKeys);
    }

    private CompletionStage<URI> discover() {
        URI discovery = URI.create(stripTrailingSlash(issuer) + DISCOVERY_PATH);
        return get(discovery, "discovery document").thenApply(body -> {
            Map<String, Object> document;
            try {
                document = JsonUtil.parseJson(body);
            } catch (JoseException e) {
                throw new IllegalStateException("the discovery document is not JSON");
            }
            if (document.get("issuer") instanceof String named && !named.equals(issuer)) {
                LOG.warnf("The discovery document of %s names the issuer %s; tokens must carry %s", issuer, named,
                        issuer);
            }
            if (!(document.get("jwks_uri") instanceof String jwksUri)) {
                throw new IllegalStateException("the discovery document has no jwks_uri");
            }
            URI uri = ServiceAuthChecks.absoluteHttpUrl(jwksUri, "the jwks_uri of " + discovery);
            discoveredJwks = uri;
            return uri;
        });
    }

    private CompletionStage<String> get(URI uri, String what) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the " + what + " at " + uri + " answered HTTP "
                        + response.statusCode());
            }
            return response.body();
        });
    }

    private Keys parseKeys(String body) {
        List<JsonWebKey> usable = new ArrayList<>();
        try {
            for (JsonWebKey key : new JsonWebKeySet(body).getJsonWebKeys()) {
                // Only asymmetric public keys that may sign: a symmetric key in a public set is a mistake.
                if (key instanceof PublicJsonWebKey && (key.getUse() == null || Use.SIGNATURE.equals(key.getUse()))) {
                    usable.add(key);
                }
            }
        } catch (JoseException e) {
            throw new IllegalStateException("the key set is not a JWKS");
        }
        return new Keys(usable, nanoTime.getAsLong());
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IllegalStateException || cause instanceof IllegalArgumentException) {
            return cause.getMessage();
        }
        if (cause instanceof IOException) {
            return "unreachable: " + cause.getClass().getSimpleName();
        }
        return cause.getClass().getSimpleName();
    }

    static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
