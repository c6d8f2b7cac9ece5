package io.beacon.policy;

import io.beacon.registry.ServiceName;
import java.util.function.BiConsumer;

/**
 * Where {@link PolicyStore} keeps the policies: this member's memory (single node) or a store every
 * cluster member shares. A storage reports every change, whichever member made it, to the listener
 * given to {@link #onChange}, on every member, before the write that made it returns.
 */
public interface PolicyStorage {

    /** The service's policy, or null when none is set. */
    ServicePolicy get(ServiceName service);

    void put(ServiceName service, ServicePolicy policy);

    /** Removes the policy; true when there was one. */
    boolean remove(ServiceName service);

    /**
     * Sets the one listener told of every change: the service and its new policy ({@link ServicePolicy#NONE}
     * after a removal). Called once, before the first write.
     */
    void onChange(BiConsumer<ServiceName, ServicePolicy> listener);
}
