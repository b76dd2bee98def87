package io.healthmesh.commons.security;

/**
 * No credential for an outgoing internal call could be had (oidc mode: the token endpoint could not
 * be reached or refused the client, or no client is configured). The message names no token or
 * secret.
 */
public class ServiceCredentialUnavailableException extends RuntimeException {

    public ServiceCredentialUnavailableException(String message) {
        super(message);
    }
}
