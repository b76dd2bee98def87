package io.healthmesh.gateway.domain;

import java.util.UUID;

/** What claiming an Idempotency-Key found. */
public sealed interface IdempotencyClaim {

    /** The key is this request's now: publish, then complete or release the claim. */
    record Claimed(UUID claimId) implements IdempotencyClaim {
    }

    /** A request with the same key and body finished: its answer, to give again. */
    record Completed(int status, String body) implements IdempotencyClaim {
    }

    /** A request with the same key and body is still in flight. */
    record InFlight() implements IdempotencyClaim {
    }

    /** The key was used with another body. */
    record OtherBody() implements IdempotencyClaim {
    }
}
