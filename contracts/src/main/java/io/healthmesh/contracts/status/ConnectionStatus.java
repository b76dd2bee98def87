package io.healthmesh.contracts.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;

/**
 * A connector's report on one user's connection ({@code connection.status.v1}, compacted, keyed
 * {@code userId:source}). Readers keep the report with the latest {@code updatedAt}.
 *
 * @param state where the connection stands
 * @param progress for {@link ConnectionState#BACKFILLING}: the share done, 0..1
 * @param reason for {@link ConnectionState#ERROR} and {@link ConnectionState#TOKEN_EXPIRED}:
 *     what went wrong, in words a user can act on
 * @param lastSuccessfulSync when a sync last completed
 * @param nextSync when the next scheduled sync is due
 * @param updatedAt when the connector made this report
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionStatus(
        String userId,
        String source,
        ConnectionState state,
        Double progress,
        String reason,
        OffsetDateTime lastSuccessfulSync,
        OffsetDateTime nextSync,
        OffsetDateTime updatedAt) {

    public static final String KEY_SEPARATOR = ":";

    /** The Kafka key of this report. */
    public String key() {
        return userId + KEY_SEPARATOR + source;
    }
}
