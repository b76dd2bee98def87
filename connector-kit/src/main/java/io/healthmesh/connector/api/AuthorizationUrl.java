package io.healthmesh.connector.api;

/** Where the client sends the user's browser to give consent. */
public record AuthorizationUrl(String authorizationUrl) {
}
