package io.healthmesh.preferences.api;

/** An IANA time zone id. */
public record HomeZone(String zone) {
}
