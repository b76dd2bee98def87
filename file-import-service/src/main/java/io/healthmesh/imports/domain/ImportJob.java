package io.healthmesh.imports.domain;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An import job as stored; a CSV job also carries its preview and mapping as JSON. */
public record ImportJob(
        UUID id,
        String userId,
        String kind,
        JobState state,
        String fileName,
        String storagePath,
        long totalBytes,
        long bytesRead,
        long recordsRead,
        long sent,
        /** Events (parse order) acknowledged by the broker from the first on: where a retry resumes sending. */
        long ackedEvents,
        Long published,
        Map<String, Long> skipped,
        List<String> errorSample,
        long accepted,
        long rejected,
        String failureReason,
        Integer failureLine,
        Integer failureColumn,
        boolean cancelRequested,
        int attempts,
        OffsetDateTime createdAt,
        OffsetDateTime startedAt,
        OffsetDateTime parsedAt,
        OffsetDateTime finishedAt,
        OffsetDateTime updatedAt,
        String previewJson,
        String mappingJson) {
}
