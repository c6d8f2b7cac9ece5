package io.beacon.security;

/** Enforced mode without any configured {@code admin} token or certificate: Beacon refuses to start. */
final class MissingAdminTokenException extends IllegalStateException {

    MissingAdminTokenException() {
        super("beacon.security.mode is 'enforced' but no token in beacon.security.tokens and no client certificate "
                + "in beacon.security.certificates (with server.ssl.client-auth 'want' or 'need') has the "
                + "'admin' scope.");
    }
}
