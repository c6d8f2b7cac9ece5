package io.beacon.policy;

import io.beacon.registry.ServiceName;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** Policies in this member's memory: the single-node {@link PolicyStorage}. */
final class InMemoryPolicies implements PolicyStorage {

    private final Map<ServiceName, ServicePolicy> policies = new ConcurrentHashMap<>();
    private volatile BiConsumer<ServiceName, ServicePolicy> listener = (service, policy) -> {
    };

    @Override
    public ServicePolicy get(ServiceName service) {
        return policies.get(service);
    }

    @Override
    public void put(ServiceName service, ServicePolicy policy) {
        policies.put(service, policy);
        listener.accept(service, policy);
    }

    @Override
    public boolean remove(ServiceName service) {
        boolean removed = policies.remove(service) != null;
        if (removed) {
            listener.accept(service, ServicePolicy.NONE);
        }
        return removed;
    }

    @Override
    public void onChange(BiConsumer<ServiceName, ServicePolicy> listener) {
        this.listener = listener;
    }
}
