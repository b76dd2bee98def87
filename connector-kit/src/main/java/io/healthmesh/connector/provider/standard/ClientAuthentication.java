package io.healthmesh.connector.provider.standard;

/** How the client authenticates at the token (and RFC 7009 revocation) endpoint (RFC 6749 section 2.3.1). */
public enum ClientAuthentication {

    /** {@code client_secret_basic}: HTTP Basic with the client id and secret (what RFC 6749 says servers must support). */
    CLIENT_SECRET_BASIC,

    /** {@code client_secret_post}: {@code client_id} and {@code client_secret} in the form body (Oura, Withings). */
    CLIENT_SECRET_POST
}
