package io.beacon.policy;

import io.beacon.registry.ServiceName;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Per-service policies. Features read them and fall back to their configured defaults. They live in a
 * {@link PolicyStorage}: this member's memory, unless another storage bean is defined (cluster mode shares
 * one replicated store). Every change, made through this member or another, publishes a
 * {@link PolicyChanged} on this member before the write that made it returns.
 */
@Component
public class PolicyStore {

    private final PolicyStorage storage;

    /** Policies in memory (single node). */
    public PolicyStore(ApplicationEventPublisher events) {
        this(events, new InMemoryPolicies());
    }

    @Autowired
    PolicyStore(ApplicationEventPublisher events, ObjectProvider<PolicyStorage> storage) {
        this(events, storage.getIfAvailable(InMemoryPolicies::new));
    }

    PolicyStore(ApplicationEventPublisher events, PolicyStorage storage) {
        this.storage = storage;
        storage.onChange((service, policy) -> events.publishEvent(new PolicyChanged(service, policy)));
    }

    /** The service's policy, or {@link ServicePolicy#NONE}. */
    public ServicePolicy get(ServiceName service) {
        ServicePolicy policy = storage.get(service);
        return policy == null ? ServicePolicy.NONE : policy;
    }

    public void put(ServiceName service, ServicePolicy policy) {
        storage.put(service, policy);
    }

    /** Removes the policy; true when there was one. */
    public boolean remove(ServiceName service) {
        return storage.remove(service);
    }
}
