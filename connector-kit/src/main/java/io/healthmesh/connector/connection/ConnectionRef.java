package io.healthmesh.connector.connection;

/** One user's connection to one source, as the sync side needs to know it (never its tokens). */
public record ConnectionRef(String userId, String source, String providerUserId) {
}
