package io.beacon.registry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The registry: the only place instance state changes. Every change bumps the service's index and
 * raises one {@link RegistryEvent}, delivered to the {@link RegistryListener}s after the change is
 * visible and the service's lock is released, in index order per service; a write returns once its
 * event is delivered, and no listener failure changes what it returns. Reads return immutable values.
 * Implementations: {@link InMemoryRegistry} (single node); a clustered one behind the same contract.
 */
public interface Registry {

    /** Outcome of {@link #register}. */
    record Registration(Instance instance, boolean created, long index) {
    }

    /** Outcome of {@link #expire}: the decision applied and the instance after it (empty when evicted). */
    record Expiry(ExpiryDecision applied, Optional<Instance> instance) {
    }

    /**
     * Registers {@code candidate}, or re-registers it in place when its id is already known (keeping the
     * registration time, the operator override and, for an unchanged check, the check verdict).
     *
     * @throws CapacityExceededException when the instance is new and the registry holds as many instances
     *     (of the service, or in total) or services as its {@link CapacityLimits} allow; nothing is changed
     */
    Registration register(Instance candidate, Instant now);

    /**
     * Renews the lease of an instance; brings a STALE instance back. {@code inflight}, when present,
     * records the instance's reported in-flight requests.
     *
     * @throws InstanceNotFoundException when the instance is unknown
     */
    Instance heartbeat(InstanceKey key, Instant now, OptionalInt inflight);

    /** Removes an instance at its own request; empty when it was not registered. */
    Optional<Instance> deregister(InstanceKey key);

    /**
     * Applies {@code change} atomically to one instance. Returning the same (equal) value changes
     * nothing and raises no event.
     *
     * @return the instance after the change, empty when it is not registered
     */
    Optional<Instance> update(InstanceKey key, UnaryOperator<Instance> change);

    /**
     * Re-evaluates one instance's lease atomically: {@code decide} sees the instance as it is at that
     * moment (so a heartbeat racing the sweeper is never lost), and its decision is applied.
     */
    Expiry expire(InstanceKey key, Instant now, Function<Instance, ExpiryDecision> decide);

    Optional<Instance> get(InstanceKey key);

    /** One service; an empty snapshot (index 0, or the last index if it once existed) when unknown. */
    ServiceSnapshot service(ServiceName name);

    /** Every service that has at least one instance, sorted by name. */
    List<ServiceSnapshot> services();

    /** The service's current index: 0 for a service never seen. */
    long index(ServiceName name);

    /** Every instance of every service, weakly consistent. */
    Stream<Instance> instances();

    /** Number of registered instances. */
    int size();
}
