package io.beacon.registry;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The single-node registry: a map of services, each a map of instances keyed by id ({@link ServiceTable}).
 *
 * <p>Changes to one service are serialised by that service's monitor, which makes "change, bump the
 * index, queue the event" one step; the event is delivered once the monitor is released, in index order
 * per service. Plain renewals (heartbeats that change nothing a watcher sees) skip the monitor; every
 * write applies its change through the instance map's atomic {@code compute}, so no write can overwrite
 * another. Writes to different services never contend; reads take no lock.
 */
public class InMemoryRegistry implements Registry {

    private final ServiceTable<Instance> table;

    /** A registry without capacity limits. */
    public InMemoryRegistry(RegistryEvents events) {
        this(events, CapacityLimits.UNLIMITED);
    }

    /** A registry refusing new instances beyond {@code capacity} ({@link CapacityExceededException}). */
    public InMemoryRegistry(RegistryEvents events, CapacityLimits capacity) {
        this.table = new ServiceTable<>(events, Function.identity(), capacity);
    }

    /**
     * A registry delivering its events to {@code listeners} (for use without Spring: tests and
     * benchmarks); listener failures are counted in a private meter registry.
     */
    public InMemoryRegistry(RegistryListener... listeners) {
        this(new RegistryEvents(List.of(listeners), new SimpleMeterRegistry(), Clock.systemUTC()));
    }

    /** @throws CapacityExceededException when {@code candidate} is new and a capacity limit is reached */
    @Override
    public Registration register(Instance candidate, Instant now) {
        ServiceTable.Entry<Instance> entry = table.entry(candidate.service());
        return entry.write(() -> {
            entry.admit(candidate.id());
            Instance[] before = new Instance[1];
            Instance stored = entry.instances().compute(candidate.id(), (id, current) -> {
                before[0] = current;
                return current == null ? candidate : current.reregister(candidate, now);
            });
            return before[0] == null
                    ? new Registration(stored, true, entry.registered(stored))
                    : new Registration(stored, false, entry.changed(before[0], stored));
        });
    }

    /**
     * A renewal that changes nothing a watcher sees (the common case) is applied with the instance map's
     * atomic {@code computeIfPresent} alone, without the service's monitor, so heartbeats of one service
     * never queue behind each other; its event goes straight to the listeners. Every other write also goes
     * through {@code compute}, so none of them can overwrite a renewal. A STALE instance coming back is a
     * status change: it takes the monitor.
     */
    @Override
    public Instance heartbeat(InstanceKey key, Instant now, OptionalInt inflight) {
        ServiceTable.Entry<Instance> entry = table.existing(key.service());
        if (entry == null) {
            throw new InstanceNotFoundException(key);
        }
        Instance[] before = new Instance[1];
        Instance renewed = entry.instances().computeIfPresent(key.id(), (id, current) -> {
            if (current.state().stale()) {
                before[0] = null;
                return current;
            }
            before[0] = current;
            return current.renewed(now, inflight);
        });
        if (renewed == null) {
            throw new InstanceNotFoundException(key);
        }
        if (before[0] != null) {
            entry.renewed(before[0], renewed);
            return renewed;
        }
        return entry.write(() -> {
            Instance next = entry.instances().computeIfPresent(key.id(), (id, current) -> {
                before[0] = current;
                return current.renewed(now, inflight);
            });
            if (next == null) {
                throw new InstanceNotFoundException(key);
            }
            entry.changed(before[0], next);
            return next;
        });
    }

    @Override
    public Optional<Instance> deregister(InstanceKey key) {
        ServiceTable.Entry<Instance> entry = table.existing(key.service());
        if (entry == null) {
            return Optional.empty();
        }
        return entry.write(() -> {
            Instance removed = entry.instances().remove(key.id());
            if (removed != null) {
                entry.removed(removed, false);
            }
            return Optional.ofNullable(removed);
        });
    }

    @Override
    public Optional<Instance> update(InstanceKey key, UnaryOperator<Instance> change) {
        ServiceTable.Entry<Instance> entry = table.existing(key.service());
        if (entry == null) {
            return Optional.empty();
        }
        return entry.write(() -> {
            Instance[] before = new Instance[1];
            Instance next = entry.instances().computeIfPresent(key.id(), (id, current) -> {
                before[0] = current;
                Instance changed = change.apply(current);
                if (changed == null || !changed.key().equals(key)) {
                    throw new IllegalArgumentException("an update must keep the instance's service and id");
                }
                return changed.equals(current) ? current : changed;
            });
            if (next != null && next != before[0]) {
                entry.changed(before[0], next);
            }
            return Optional.ofNullable(next);
        });
    }

    @Override
    public Expiry expire(InstanceKey key, Instant now, Function<Instance, ExpiryDecision> decide) {
        ServiceTable.Entry<Instance> entry = table.existing(key.service());
        if (entry == null) {
            return new Expiry(ExpiryDecision.KEEP, Optional.empty());
        }
        return entry.write(() -> {
            Instance[] before = new Instance[1];
            ExpiryDecision[] applied = {ExpiryDecision.KEEP};
            Instance after = entry.instances().computeIfPresent(key.id(), (id, current) -> {
                before[0] = current;
                ExpiryDecision decision = decide.apply(current);
                if (decision == ExpiryDecision.EVICT) {
                    applied[0] = ExpiryDecision.EVICT;
                    return null;
                }
                if (decision == ExpiryDecision.MARK_STALE && !current.state().stale()) {
                    applied[0] = ExpiryDecision.MARK_STALE;
                    return current.withState(current.state().withStale(true, now));
                }
                return current;
            });
            switch (applied[0]) {
                case EVICT -> entry.removed(before[0], true);
                case MARK_STALE -> entry.changed(before[0], after);
                default -> {
                }
            }
            return new Expiry(applied[0], Optional.ofNullable(after));
        });
    }

    @Override
    public Optional<Instance> get(InstanceKey key) {
        return table.get(key.service(), key.id());
    }

    @Override
    public ServiceSnapshot service(ServiceName name) {
        return table.snapshot(name);
    }

    @Override
    public List<ServiceSnapshot> services() {
        return table.snapshots();
    }

    @Override
    public long index(ServiceName name) {
        return table.index(name);
    }

    @Override
    public Stream<Instance> instances() {
        return table.instances();
    }

    @Override
    public int size() {
        return table.size();
    }
}
