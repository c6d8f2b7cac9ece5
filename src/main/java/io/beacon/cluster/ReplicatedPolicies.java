package io.beacon.cluster;

import io.beacon.policy.PolicyStorage;
import io.beacon.policy.ServicePolicy;
import io.beacon.registry.ServiceName;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.infinispan.Cache;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;
import tools.jackson.databind.json.JsonMapper;

/**
 * Policies in a cluster: the synchronously replicated cache {@code beacon-policies}, service name to the
 * policy as JSON. A PUT returns once every member holds the policy. Every member listens to the cache
 * synchronously, so each member is told of every change (its own and the others') while the write is
 * applied there, before the write is acknowledged. A member cut off from the majority refuses policy
 * writes like registry writes (503, {@code RegistryUnavailableException}).
 */
@Listener(sync = true, observation = Listener.Observation.POST)
public final class ReplicatedPolicies implements PolicyStorage {

    private record Parsed(String json, ServicePolicy policy) {
    }

    private final Cache<String, String> cache;
    private final JsonMapper json = JsonMapper.builder().build();
    /** The last policy read per service, with the JSON it was read from: balancers read policies on every pick. */
    private final Map<ServiceName, Parsed> parsed = new ConcurrentHashMap<>();
    private volatile BiConsumer<ServiceName, ServicePolicy> listener = (service, policy) -> {
    };

    ReplicatedPolicies(Cache<String, String> cache) {
        this.cache = cache;
        cache.addListener(this);
    }

    @Override
    public ServicePolicy get(ServiceName service) {
        String stored = cache.get(service.value());
        if (stored == null) {
            return null;
        }
        Parsed known = parsed.get(service);
        if (known != null && known.json.equals(stored)) {
            return known.policy;
        }
        ServicePolicy policy = json.readValue(stored, ServicePolicy.class);
        parsed.put(service, new Parsed(stored, policy));
        return policy;
    }

    @Override
    public void put(ServiceName service, ServicePolicy policy) {
        String value = json.writeValueAsString(policy);
        try {
            cache.put(service.value(), value);
        } catch (RuntimeException e) {
            throw ClusteredRegistry.translated(e);
        }
    }

    @Override
    public boolean remove(ServiceName service) {
        try {
            return cache.remove(service.value()) != null;
        } catch (RuntimeException e) {
            throw ClusteredRegistry.translated(e);
        }
    }

    @Override
    public void onChange(BiConsumer<ServiceName, ServicePolicy> listener) {
        this.listener = listener;
    }

    @CacheEntryCreated
    @CacheEntryModified
    @CacheEntryRemoved
    public void changed(CacheEntryEvent<String, String> event) {
        String value = event.getValue();
        listener.accept(ServiceName.of(event.getKey()),
                value == null ? ServicePolicy.NONE : json.readValue(value, ServicePolicy.class));
    }
}
