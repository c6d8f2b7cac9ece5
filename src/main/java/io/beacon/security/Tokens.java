package io.beacon.security;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Every token Beacon knows: the configured ones (fixed at start-up, validated there) and the token API's
 * ({@link TokenStore}). A presented secret is hashed once (SHA-256) and looked up by its hash in a map; the
 * candidate's hash is then compared in constant time. Last use is noted per member, at most once a second
 * per token.
 */
final class Tokens {

    /** What a presented secret turned out to be. */
    record Lookup(Outcome outcome, StoredToken token) {
    }

    enum Outcome { VALID, UNKNOWN, REVOKED }

    private final Map<String, StoredToken> configured;
    private final TokenStore store;
    private final Clock clock;
    private final ConcurrentMap<String, Instant> lastUsed = new ConcurrentHashMap<>();

    Tokens(Collection<StoredToken> configured, TokenStore store, Clock clock) {
        Map<String, StoredToken> byHash = new LinkedHashMap<>();
        configured.forEach(t -> byHash.put(t.sha256(), t));
        this.configured = Map.copyOf(byHash);
        this.store = store;
        this.clock = clock;
    }

    Lookup lookup(String secret) {
        String hash = TokenHashes.sha256(secret);
        StoredToken token = configured.get(hash);
        if (token == null) {
            token = store.findByHash(hash).orElse(null);
        }
        if (token == null || !TokenHashes.same(token.sha256(), hash)) {
            return new Lookup(Outcome.UNKNOWN, null);
        }
        if (!token.live()) {
            return new Lookup(Outcome.REVOKED, token);
        }
        noteUse(token.id());
        return new Lookup(Outcome.VALID, token);
    }

    private void noteUse(String id) {
        Instant now = clock.instant();
        Instant previous = lastUsed.get(id);
        if (previous == null || previous.plusSeconds(1).isBefore(now)) {
            lastUsed.put(id, now);
        }
    }

    /** When a token was last used on this member, if it was. */
    Optional<Instant> lastUsed(String id) {
        return Optional.ofNullable(lastUsed.get(id));
    }

    /** Whether a live token (configured or API-made) has this id. */
    boolean exists(String id) {
        return configured(id).isPresent() || store.all().stream().anyMatch(t -> t.live() && t.id().equals(id));
    }

    Optional<StoredToken> configured(String id) {
        return configured.values().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** The live tokens, configured first, then the API's by creation time. */
    List<StoredToken> live() {
        List<StoredToken> all = new ArrayList<>(configured.values());
        store.all().stream().filter(StoredToken::live)
                .sorted((a, b) -> a.created().compareTo(b.created())).forEach(all::add);
        return all;
    }

    TokenStore store() {
        return store;
    }
}
