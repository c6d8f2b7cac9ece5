package io.beacon.security;

import io.beacon.partition.CutOff;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.partitionhandling.PartitionHandling;
import org.infinispan.conflict.MergePolicy;
import tools.jackson.databind.json.JsonMapper;

/**
 * The token API's tokens in cluster mode: a replicated, synchronously written cache {@value #CACHE} in the
 * cluster's embedded cache manager, keyed by the secret's SHA-256, each value the token as JSON (a plain
 * string, so the cluster's serialisation schema needs nothing new). A put returns once every member has
 * it, so a revocation is in effect everywhere when {@code DELETE /acl/tokens/{id}} answers; reads are local.
 * On a split it behaves like the registry: a member cut off from the majority still reads, but refuses token
 * writes (503), so a token made or revoked there cannot be lost when the sides merge (the majority's copy wins).
 */
final class ReplicatedTokenStore implements TokenStore {

    static final String CACHE = "beacon-tokens";
    private static final JsonMapper JSON = JsonMapper.shared();
    /** What a member cut off from the majority refuses, as its 503 answer says. */
    private static final String TOKEN_CHANGES = "token changes";

    private final Cache<String, String> cache;

    ReplicatedTokenStore(Cache<String, String> cache) {
        this.cache = cache;
    }

    /** Defines the cache on a running cache manager (replicated, synchronous, full state on join). */
    static ReplicatedTokenStore on(EmbeddedCacheManager manager) {
        if (!manager.cacheExists(CACHE) && manager.getCacheConfiguration(CACHE) == null) {
            ConfigurationBuilder builder = new ConfigurationBuilder();
            builder.clustering().cacheMode(CacheMode.REPL_SYNC)
                    .stateTransfer().fetchInMemoryState(true).awaitInitialTransfer(true)
                    .timeout(60, TimeUnit.SECONDS);
            builder.clustering().partitionHandling().whenSplit(PartitionHandling.ALLOW_READS)
                    .mergePolicy(MergePolicy.PREFERRED_ALWAYS);
            manager.defineConfiguration(CACHE, builder.build());
        }
        return new ReplicatedTokenStore(manager.getCache(CACHE));
    }

    @Override
    public Optional<StoredToken> findByHash(String sha256) {
        String json = cache.get(sha256);
        return json == null ? Optional.empty() : Optional.of(read(json));
    }

    @Override
    public Collection<StoredToken> all() {
        return cache.values().stream().map(ReplicatedTokenStore::read).toList();
    }

    @Override
    public void add(StoredToken token) {
        try {
            cache.put(token.sha256(), JSON.writeValueAsString(token));
        } catch (RuntimeException e) {
            throw CutOff.translated(e, TOKEN_CHANGES);
        }
    }

    @Override
    public boolean revoke(String id, Instant when) {
        boolean revoked = false;
        try {
            for (var entry : List.copyOf(cache.entrySet())) {
                StoredToken token = read(entry.getValue());
                if (token.id().equals(id) && token.live()) {
                    revoked |= cache.replace(entry.getKey(), entry.getValue(),
                            JSON.writeValueAsString(token.revokedAt(when)));
                }
            }
        } catch (RuntimeException e) {
            throw CutOff.translated(e, TOKEN_CHANGES);
        }
        return revoked;
    }

    private static StoredToken read(String json) {
        return JSON.readValue(json, StoredToken.class);
    }
}
