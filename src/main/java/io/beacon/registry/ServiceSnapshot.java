package io.beacon.registry;

import java.util.List;

/**
 * An immutable view of one service: its instances (every status) and its index. The index is read
 * before the instances, so the instances are at least as new as the index: a watcher that resumes
 * from it may be woken once for nothing, never miss a change.
 */
public record ServiceSnapshot(ServiceName name, long index, List<Instance> instances) {

    public ServiceSnapshot {
        instances = List.copyOf(instances);
    }

    public static ServiceSnapshot empty(ServiceName name) {
        return new ServiceSnapshot(name, 0, List.of());
    }

    public boolean isEmpty() {
        return instances.isEmpty();
    }

    /** Instances discovery may return: UP and not ejected. */
    public List<Instance> discoverable() {
        return instances.stream().filter(i -> i.state().isDiscoverable()).toList();
    }

    public long count(InstanceStatus status) {
        return instances.stream().filter(i -> i.status() == status).count();
    }
}
