package io.healthmesh.imports.domain;

import java.util.List;
import java.util.Map;

/** How far a running job got: bytes of the upload read, records read, events the broker acknowledged, skips. */
public record JobProgress(long bytesRead, long recordsRead, long sent, Map<String, Long> skipped,
        List<String> errorSample) {
}
