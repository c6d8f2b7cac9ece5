package io.beacon.security;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The token API's tokens of a single member, in memory (they do not survive a restart). */
final class LocalTokenStore implements TokenStore {

    private final ConcurrentMap<String, StoredToken> byHash = new ConcurrentHashMap<>();

    @Override
    public Optional<StoredToken> findByHash(String sha256) {
        return Optional.ofNullable(byHash.get(sha256));
    }

    @Override
    public Collection<StoredToken> all() {
        return List.copyOf(byHash.values());
    }

    @Override
    public void add(StoredToken token) {
        byHash.put(token.sha256(), token);
    }

    @Override
    public boolean revoke(String id, Instant when) {
        boolean revoked = false;
        for (StoredToken token : byHash.values()) {
            if (token.id().equals(id) && token.live()) {
                revoked |= byHash.replace(token.sha256(), token, token.revokedAt(when));
            }
        }
        return revoked;
    }
}
