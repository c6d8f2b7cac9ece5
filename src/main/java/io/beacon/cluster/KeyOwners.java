package io.beacon.cluster;

import io.beacon.registry.InstanceKey;
import org.infinispan.Cache;
import org.infinispan.distribution.DistributionManager;
import org.infinispan.remoting.transport.Address;

/**
 * Which member owns an instance: Infinispan's primary owner of the instance's key in the registry cache,
 * from the current cache topology. Every member computes the same owner for the same topology; when a
 * member leaves or joins, the new topology moves its keys to the others.
 */
final class KeyOwners {

    private final DistributionManager distribution;
    private final Address self;

    KeyOwners(Cache<String, StoredInstance> registryCache) {
        this.distribution = registryCache.getAdvancedCache().getDistributionManager();
        this.self = registryCache.getCacheManager().getAddress();
    }

    Address primary(InstanceKey key) {
        return distribution.getCacheTopology().getDistribution(StoredInstance.key(key.service(), key.id())).primary();
    }

    boolean isPrimary(InstanceKey key) {
        Address primary = primary(key);
        return primary == null || primary.equals(self);
    }

    Address self() {
        return self;
    }

    /** The instance key of a {@code service/id} cache key. */
    static InstanceKey parse(String key) {
        int slash = key.indexOf('/');
        return InstanceKey.of(key.substring(0, slash), key.substring(slash + 1));
    }
}
