package io.beacon.security;

/** Enforced mode without any configured {@code admin} token: Beacon refuses to start. */
final class MissingAdminTokenException extends IllegalStateException {

    MissingAdminTokenException() {
        super("beacon.security.mode is 'enforced' but no token in beacon.security.tokens has the 'admin' scope.");
    }
}
