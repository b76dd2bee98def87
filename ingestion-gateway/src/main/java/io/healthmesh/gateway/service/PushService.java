package io.healthmesh.gateway.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.commons.messaging.PublishFailedException;
import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.gateway.config.GatewayConfig;
import io.healthmesh.gateway.domain.IdempotencyClaim;
import io.healthmesh.gateway.domain.PushAccepted;
import io.healthmesh.gateway.domain.PushBatch;
import io.healthmesh.gateway.messaging.PushPublisher;
import io.healthmesh.gateway.repository.IdempotencyKeyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The push API's work, on a worker thread: read and validate the batch (refused whole, nothing
 * published), claim its Idempotency-Key if it has one, publish every reading and wait for the
 * broker's acknowledgements, then store the answer under the key, or release the key if
 * publishing failed.
 */
@ApplicationScoped
public class PushService {

    private static final Logger LOG = Logger.getLogger(PushService.class);

    /** Longest Idempotency-Key accepted. */
    public static final int MAX_KEY_LENGTH = 255;
    /** Retry-After of a 409 for a key in flight: an ordinary batch finishes well within it. */
    static final long IN_FLIGHT_RETRY_AFTER_SECONDS = 5;
    /** Retry-After of a 503 when Kafka did not take the batch. */
    static final long UNAVAILABLE_RETRY_AFTER_SECONDS = 30;
    /** Retry-After of a 503 when the keys' database did not answer: outages of it are short. */
    static final long STORE_RETRY_AFTER_SECONDS = 5;
    /** Bound of each database call of the key's bookkeeping. */
    private static final Duration DATABASE_WAIT = Duration.ofSeconds(10);
    /** A claim that found its row gone in between (released or expired) claims again, this often at most. */
    private static final int CLAIM_ATTEMPTS = 3;

    private final PushBatchMapper mapper;
    private final PushPublisher publisher;
    private final IdempotencyKeyRepository keys;
    private final ObjectMapper json;
    private final GatewayConfig.Push settings;

    public PushService(PushBatchMapper mapper, PushPublisher publisher, IdempotencyKeyRepository keys,
            ObjectMapper json, GatewayConfig config) {
        this.mapper = mapper;
        this.publisher = publisher;
        this.keys = keys;
        this.json = json;
        this.settings = config.push();
    }

    /** An answer of the push API: its status and JSON body; {@code replayed} when it is a stored one. */
    public record Answer(int status, String body, boolean replayed) {
    }

    /**
     * Publishes the batch in {@code body} for the user, at most once per Idempotency-Key.
     *
     * @throws ProblemException 400 unreadable body or key, 413 too many readings, 422 invalid batch
     *     or the key used with another body, 409 the key's first request still in flight, 503 Kafka
     *     did not acknowledge the batch in time
     * @throws JsonProcessingException the body is not the push shape's JSON (service-commons answers 400)
     */
    public Answer push(String userId, Optional<String> idempotencyKey, byte[] body) throws JsonProcessingException {
        idempotencyKey.ifPresent(PushService::checkKey);
        List<Envelope> events = mapper.toEvents(userId, read(body), OffsetDateTime.now(ZoneOffset.UTC));
        if (idempotencyKey.isEmpty()) {
            return new Answer(202, publish(events), false);
        }
        String key = idempotencyKey.get();
        byte[] hash = sha256(body);
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            IdempotencyClaim claim = claim(userId, key, hash);
            if (claim instanceof IdempotencyClaim.Claimed claimed) {
                return publishClaimed(userId, key, claimed.claimId(), events);
            }
            if (claim instanceof IdempotencyClaim.Completed completed) {
                return new Answer(completed.status(), completed.body(), true);
            }
            if (claim instanceof IdempotencyClaim.OtherBody) {
                throw ProblemException.unprocessable("idempotency-key-reused",
                        "This Idempotency-Key was used with another request body; use a new key for a new batch.",
                        null);
            }
            if (claim instanceof IdempotencyClaim.InFlight) {
                throw inFlight();
            }
            // null: the row went away between the claim and the read; claim again.
        }
        throw inFlight();
    }

    /**
     * Claims the key; a database that cannot be reached (or does not answer in time) is a 503 the
     * client retries with the same key, not a 500: nothing was published, and the fault suite saw
     * PostgreSQL outages answered with 500.
     */
    private IdempotencyClaim claim(String userId, String key, byte[] hash) {
        try {
            return keys.claim(userId, key, hash, settings.idempotency().retention(),
                    settings.idempotency().claimTimeout()).await().atMost(DATABASE_WAIT);
        } catch (RuntimeException e) {
            LOG.warnf("The Idempotency-Key of a push batch of user %s could not be checked: %s", userId, e.toString());
            throw ProblemException.unavailable("idempotency-unavailable",
                    "The Idempotency-Key could not be checked right now; nothing was published. "
                            + "Retry later with the same Idempotency-Key.")
                    .withRetryAfter(STORE_RETRY_AFTER_SECONDS);
        }
    }

    private Answer publishClaimed(String userId, String key, UUID claimId, List<Envelope> events) {
        String answer;
        try {
            answer = publish(events);
        } catch (RuntimeException e) {
            release(userId, key, claimId);
            throw e;
        }
        try {
            boolean stored = keys.complete(userId, key, claimId, 202, answer).await().atMost(DATABASE_WAIT);
            if (!stored) {
                LOG.warnf("The Idempotency-Key claim of a published batch of user %s was taken over before it "
                        + "completed; a retry may publish the batch again (same eventIds)", userId);
            }
        } catch (RuntimeException e) {
            // The batch is on the topic: it is accepted. A retry with this key may publish it again,
            // with the same eventIds, which the normalizer upserts once.
            LOG.warnf("Could not store the answer of a published batch of user %s under its Idempotency-Key: %s",
                    userId, e.getMessage());
        }
        return new Answer(202, answer, false);
    }

    private String publish(List<Envelope> events) {
        try {
            publisher.publish(events, settings.sendTimeout());
        } catch (PublishFailedException e) {
            LOG.warnf("A push batch of %d readings was not published: %s", events.size(), e.getMessage());
            throw ProblemException.unavailable("publish-failed",
                    "The readings could not be stored right now; none of them counts as accepted. "
                            + "Retry later (with the same Idempotency-Key, if one was sent).")
                    .withRetryAfter(UNAVAILABLE_RETRY_AFTER_SECONDS);
        }
        List<UUID> eventIds = events.stream().map(Envelope::eventId).toList();
        try {
            return json.writeValueAsString(new PushAccepted(events.size(), eventIds));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the push answer", e);
        }
    }

    private void release(String userId, String key, UUID claimId) {
        try {
            keys.release(userId, key, claimId).await().atMost(DATABASE_WAIT);
        } catch (RuntimeException e) {
            // The claim then blocks retries until the claim timeout passes; a retry takes it over after that.
            LOG.warnf("Could not release the Idempotency-Key claim of a failed batch of user %s: %s", userId,
                    e.getMessage());
        }
    }

    private PushBatch read(byte[] body) throws JsonProcessingException {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("malformed-request",
                    "The request body is empty; send {\"source\": ..., \"readings\": [...]}.");
        }
        try {
            return json.readValue(body, PushBatch.class);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw ProblemException.badRequest("malformed-request", "The request body could not be read.");
        }
    }

    private static void checkKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH
                || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ProblemException.badRequest("invalid-idempotency-key", "An Idempotency-Key is 1 to "
                    + MAX_KEY_LENGTH + " visible ASCII characters (a UUID, say).");
        }
    }

    private static ProblemException inFlight() {
        return new ProblemException(Problem.of("idempotency-key-in-flight", 409, "Conflict",
                "A request with this Idempotency-Key is still being processed; retry shortly."))
                .withRetryAfter(IN_FLIGHT_RETRY_AFTER_SECONDS);
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime ships SHA-256", e);
        }
    }
}
