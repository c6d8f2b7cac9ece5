package io.beacon.security;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Tokens made with the token API. One member's store in single-node mode ({@link LocalTokenStore}); in
 * cluster mode a replicated Infinispan cache ({@link ReplicatedTokenStore}), written synchronously, so a
 * token made or revoked on one member is in effect on every member once the call returns.
 */
interface TokenStore {

    /** The token whose secret has this SHA-256, live or revoked. */
    Optional<StoredToken> findByHash(String sha256);

    /** Every token, revoked ones included. */
    Collection<StoredToken> all();

    /** Adds a new token (its hash is new: 32 random bytes). */
    void add(StoredToken token);

    /** Revokes the live token with this id; false when there is none. */
    boolean revoke(String id, Instant when);
}
