package io.beacon.registry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a {@link ServiceTable} holds against its {@link CapacityLimits}: live instances and services with at
 * least one instance, counted as entries report them, and reserved ahead of a new instance with a
 * compare-and-set so concurrent registrations never overshoot.
 */
final class Capacity {

    private final CapacityLimits limits;
    private final AtomicInteger instances = new AtomicInteger();
    private final AtomicInteger services = new AtomicInteger();

    Capacity(CapacityLimits limits) {
        this.limits = limits;
    }

    int services() {
        return services.get();
    }

    /** Throws when a new instance of a service holding {@code inService} would pass a limit; reserves nothing. */
    void check(ServiceName service, int inService) {
        if (inService >= limits.maxInstancesPerService()) {
            throw refused(CapacityExceededException.Limit.INSTANCES_PER_SERVICE, service);
        }
        if (inService == 0 && services.get() >= limits.maxServices()) {
            throw refused(CapacityExceededException.Limit.SERVICES, service);
        }
        if (instances.get() >= limits.maxInstances()) {
            throw refused(CapacityExceededException.Limit.INSTANCES, service);
        }
    }

    /**
     * Reserves the place of a new instance of a service holding {@code inService} (and of the service when
     * it holds none), or throws when a limit is reached; {@link #release} gives an unused one back.
     */
    void reserve(ServiceName service, int inService) {
        if (inService >= limits.maxInstancesPerService()) {
            throw refused(CapacityExceededException.Limit.INSTANCES_PER_SERVICE, service);
        }
        boolean newService = inService == 0;
        if (newService && !reserve(services, limits.maxServices())) {
            throw refused(CapacityExceededException.Limit.SERVICES, service);
        }
        if (!reserve(instances, limits.maxInstances())) {
            if (newService) {
                services.decrementAndGet();
            }
            throw refused(CapacityExceededException.Limit.INSTANCES, service);
        }
    }

    /** Gives back a reservation that was not used. */
    void release(boolean service) {
        instances.decrementAndGet();
        if (service) {
            services.decrementAndGet();
        }
    }

    /** An instance was added without a reservation (a change applied from elsewhere). */
    void added(boolean service) {
        instances.incrementAndGet();
        if (service) {
            services.incrementAndGet();
        }
    }

    /** An instance left; {@code service} when its service is empty now. */
    void removed(boolean service) {
        release(service);
    }

    private CapacityExceededException refused(CapacityExceededException.Limit limit, ServiceName service) {
        int maximum = switch (limit) {
            case INSTANCES_PER_SERVICE -> limits.maxInstancesPerService();
            case SERVICES -> limits.maxServices();
            case INSTANCES -> limits.maxInstances();
        };
        return new CapacityExceededException(limit, maximum, service);
    }

    private static boolean reserve(AtomicInteger counter, int maximum) {
        while (true) {
            int current = counter.get();
            if (current >= maximum) {
                return false;
            }
            if (counter.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }
}
