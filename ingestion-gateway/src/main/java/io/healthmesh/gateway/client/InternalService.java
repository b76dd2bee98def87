package io.healthmesh.gateway.client;

import java.util.Optional;

/** The internal services the gateway calls; {@code configKey} names their {@code quarkus.rest-client.<key>.url}. */
public enum InternalService {
    PREFERENCES("preferences-service"),
    NORMALIZER("normalizer-service"),
    IMPORTS("file-import-service"),
    WITHINGS("withings-connector"),
    OURA("oura-connector");

    private final String configKey;

    InternalService(String configKey) {
        this.configKey = configKey;
    }

    public String configKey() {
        return configKey;
    }

    /** The connector that serves an OAuth source, if any ({@code withings}, {@code oura}). */
    public static Optional<InternalService> connectorFor(String source) {
        if ("withings".equals(source)) {
            return Optional.of(WITHINGS);
        }
        if ("oura".equals(source)) {
            return Optional.of(OURA);
        }
        return Optional.empty();
    }
}
