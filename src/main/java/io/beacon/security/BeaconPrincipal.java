package io.beacon.security;

import io.beacon.registry.ServiceName;
import java.util.List;
import java.util.Set;

/**
 * Who made a request and what it may do. The id is what problems, audit lines and the token API show
 * (a token's id, a certificate's subject); never a secret.
 *
 * @param id the token id or certificate subject
 * @param kind where the principal comes from
 * @param grants what it may do
 */
public record BeaconPrincipal(String id, Kind kind, Set<Grant> grants) {

    /** Where a principal comes from. */
    public enum Kind {
        /** A bearer token (or an HTTP Basic password) from configuration or the token API. */
        TOKEN,
        /** A client certificate whose subject is mapped to grants. */
        CERTIFICATE
    }

    public BeaconPrincipal {
        grants = Set.copyOf(grants);
    }

    /** A principal holding the grants written as {@code texts} ({@link Grant#parse}). */
    public static BeaconPrincipal of(String id, Kind kind, List<String> texts) {
        return new BeaconPrincipal(id, kind, Set.copyOf(texts.stream().map(Grant::parse).toList()));
    }

    /** Whether any grant allows {@code scope} on {@code service}. */
    public boolean allows(Scope scope, ServiceName service) {
        for (Grant grant : grants) {
            if (grant.allows(scope, service)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any grant allows {@code scope} on some service ({@code read} and {@code admin}: on all). */
    public boolean allowsSome(Scope scope) {
        for (Grant grant : grants) {
            if (grant.allowsSome(scope)) {
                return true;
            }
        }
        return false;
    }
}
