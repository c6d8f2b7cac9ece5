package io.beacon.cluster;

import io.beacon.health.CheckPlacement;
import io.beacon.health.CheckProgress;
import io.beacon.registry.InstanceKey;
import java.util.Optional;
import org.infinispan.Cache;

/**
 * Active checks in a cluster: an instance's check runs on its owner ({@link KeyOwners}),
 * and its progress is kept in the replicated cache {@code beacon-checks}, written only when it changes.
 */
final class ClusterCheckPlacement implements CheckPlacement {

    private final KeyOwners owners;
    private final InstanceStates<StoredCheckProgress> progress;

    ClusterCheckPlacement(KeyOwners owners, Cache<String, StoredCheckProgress> progress) {
        this.owners = owners;
        this.progress = new InstanceStates<>(progress);
    }

    @Override
    public boolean owns(InstanceKey key) {
        return owners.isPrimary(key);
    }

    @Override
    public Optional<CheckProgress> progress(InstanceKey key) {
        return progress.get(key, StoredCheckProgress::toProgress);
    }

    @Override
    public void save(InstanceKey key, CheckProgress value) {
        progress.put(key, StoredCheckProgress.of(value));
    }

    @Override
    public void forget(InstanceKey key) {
        progress.remove(key);
    }
}
