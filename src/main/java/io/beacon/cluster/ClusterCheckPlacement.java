package io.beacon.cluster;

import io.beacon.health.CheckPlacement;
import io.beacon.health.CheckProgress;
import io.beacon.registry.InstanceKey;
import java.util.Optional;
import org.infinispan.AdvancedCache;
import org.infinispan.Cache;
import org.infinispan.context.Flag;

/**
 * Active checks in a cluster: an instance's check runs on its owner ({@link KeyOwners}),
 * and its progress is kept in the replicated cache {@code beacon-checks}, written only when it changes.
 */
final class ClusterCheckPlacement implements CheckPlacement {

    private final KeyOwners owners;
    private final Cache<String, StoredCheckProgress> progress;
    private final AdvancedCache<String, StoredCheckProgress> writes;

    ClusterCheckPlacement(KeyOwners owners, Cache<String, StoredCheckProgress> progress) {
        this.owners = owners;
        this.progress = progress;
        this.writes = progress.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES);
    }

    @Override
    public boolean owns(InstanceKey key) {
        return owners.isPrimary(key);
    }

    @Override
    public Optional<CheckProgress> progress(InstanceKey key) {
        return Optional.ofNullable(progress.get(key(key))).map(StoredCheckProgress::toProgress);
    }

    @Override
    public void save(InstanceKey key, CheckProgress value) {
        try {
            writes.put(key(key), StoredCheckProgress.of(value));
        } catch (RuntimeException e) {
            throw ClusteredRegistry.translated(e); // cut off from the majority: 503
        }
    }

    @Override
    public void forget(InstanceKey key) {
        String k = key(key);
        if (progress.containsKey(k)) {
            try {
                writes.remove(k);
            } catch (RuntimeException e) {
                throw ClusteredRegistry.translated(e);
            }
        }
    }

    private static String key(InstanceKey key) {
        return StoredInstance.key(key.service(), key.id());
    }
}
