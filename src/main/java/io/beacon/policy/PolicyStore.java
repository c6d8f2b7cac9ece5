package io.beacon.policy;

import io.beacon.registry.ServiceName;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Per-service policies, in memory. Features read them and fall back to their configured defaults. */
@Component
public class PolicyStore {

    private final Map<ServiceName, ServicePolicy> policies = new ConcurrentHashMap<>();
    private final ApplicationEventPublisher events;

    public PolicyStore(ApplicationEventPublisher events) {
        this.events = events;
    }

    /** The service's policy, or {@link ServicePolicy#NONE}. */
    public ServicePolicy get(ServiceName service) {
        return policies.getOrDefault(service, ServicePolicy.NONE);
    }

    public void put(ServiceName service, ServicePolicy policy) {
        policies.put(service, policy);
        events.publishEvent(new PolicyChanged(service, policy));
    }

    /** Removes the policy; true when there was one. */
    public boolean remove(ServiceName service) {
        boolean removed = policies.remove(service) != null;
        if (removed) {
            events.publishEvent(new PolicyChanged(service, ServicePolicy.NONE));
        }
        return removed;
    }
}
