package io.beacon.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Every token Beacon knows: the configured ones (fixed at start-up, validated there) and the token API's
 * ({@link TokenStore}). A presented secret is hashed once (SHA-256) and looked up by its hash in a map; the
 * candidate's hash is then compared in constant time. A token's grants are parsed once, not per request:
 * configured tokens' at start-up, the token API's on first use (kept in a bounded cache keyed by the stored
 * token itself, so a changed or revoked token is never served from it). Last use is noted per member, at
 * most once a second per token.
 */
final class Tokens {

    /** What a presented secret turned out to be. */
    record Lookup(Outcome outcome, StoredToken token, BeaconPrincipal principal) {
    }

    /** A token with its grants parsed. */
    private record Known(StoredToken token, BeaconPrincipal principal) {
    }

    private static final Lookup UNKNOWN = new Lookup(Outcome.UNKNOWN, null, null);
    private static final long NOTE_USE_MILLIS = 1_000;

    enum Outcome { VALID, UNKNOWN, REVOKED }

    private final Map<String, Known> configured;
    private final TokenStore store;
    private final Clock clock;
    private final ConcurrentMap<String, Instant> lastUsed = new ConcurrentHashMap<>();
    private final Cache<StoredToken, BeaconPrincipal> apiPrincipals = Caffeine.newBuilder().maximumSize(10_000).build();

    Tokens(Collection<StoredToken> configured, TokenStore store, Clock clock) {
        Map<String, Known> byHash = new LinkedHashMap<>();
        configured.forEach(t -> byHash.put(t.sha256(), new Known(t, t.principal())));
        this.configured = Collections.unmodifiableMap(byHash);
        this.store = store;
        this.clock = clock;
    }

    Lookup lookup(String secret) {
        String hash = TokenHashes.sha256(secret);
        Known known = configured.get(hash);
        StoredToken token = known != null ? known.token() : store.findByHash(hash).orElse(null);
        if (token == null || !TokenHashes.same(token.sha256(), hash)) {
            return UNKNOWN;
        }
        if (!token.live()) {
            return new Lookup(Outcome.REVOKED, token, null);
        }
        noteUse(token.id());
        BeaconPrincipal principal = known != null ? known.principal() : apiPrincipals.get(token, StoredToken::principal);
        return new Lookup(Outcome.VALID, token, principal);
    }

    /** At most one write a second per token: a heartbeat storm must not turn into a write per request. */
    private void noteUse(String id) {
        long now = clock.millis();
        Instant previous = lastUsed.get(id);
        if (previous == null || now - previous.toEpochMilli() > NOTE_USE_MILLIS) {
            lastUsed.put(id, clock.instant());
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
        return configured.values().stream().map(Known::token).filter(t -> t.id().equals(id)).findFirst();
    }

    /** The live tokens, configured first, then the API's by creation time. */
    List<StoredToken> live() {
        List<StoredToken> all = new ArrayList<>(configured.values().stream().map(Known::token).toList());
        store.all().stream().filter(StoredToken::live)
                .sorted((a, b) -> a.created().compareTo(b.created())).forEach(all::add);
        return all;
    }

    TokenStore store() {
        return store;
    }
}
