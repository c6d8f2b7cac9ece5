package io.beacon.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * A way other than a token to tell who makes a request, e.g. a verified client certificate mapped to
 * grants. In enforced mode every bean of this type is asked (in {@code @Order}) before the
 * {@code Authorization} header is read; the first principal found is the request's. An authenticator
 * answers empty when the request carries nothing it knows (then the header decides), and must never
 * answer for a request it has not verified.
 */
@FunctionalInterface
public interface RequestAuthenticator {

    Optional<BeaconPrincipal> authenticate(HttpServletRequest request);

    /**
     * Whether some request this authenticator can verify would hold {@code scope} (the start-up check that
     * enforced mode has a way in for an administrator counts these); false unless it says so.
     */
    default boolean mayGrant(Scope scope) {
        return false;
    }
}
