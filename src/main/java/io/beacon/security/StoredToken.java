package io.beacon.security;

import java.time.Instant;
import java.util.List;

/**
 * A token as Beacon keeps it: id, scopes, the SHA-256 of its secret (never the secret), when it was made and,
 * once revoked, when. A revoked token stays as a tombstone so that its use is counted as {@code revoked}.
 *
 * @param id shown in problems, audit lines and the token API
 * @param scopes as written ({@link Grant#parse})
 * @param sha256 the secret's SHA-256, 64 hex characters
 * @param origin configuration or the token API
 * @param created when it was made (start-up for configured tokens)
 * @param revoked when it was revoked, or null
 */
record StoredToken(String id, List<String> scopes, String sha256, Origin origin, Instant created, Instant revoked) {

    enum Origin { CONFIGURATION, API }

    StoredToken {
        scopes = List.copyOf(scopes);
    }

    StoredToken revokedAt(Instant when) {
        return new StoredToken(id, scopes, sha256, origin, created, when);
    }

    boolean live() {
        return revoked == null;
    }

    BeaconPrincipal principal() {
        return BeaconPrincipal.of(id, BeaconPrincipal.Kind.TOKEN, scopes);
    }
}
