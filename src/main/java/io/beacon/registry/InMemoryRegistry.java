package io.beacon.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The single-node registry: a map of services, each a map of instances keyed by id.
 *
 * <p>Changes to one service are serialised by that service's monitor, which makes "change, bump the
 * index, publish the event" one step: events of a service are published in index order and only after
 * the change is visible. Plain renewals (heartbeats that change nothing a watcher sees) skip the
 * monitor; every write applies its change through the instance map's atomic {@code compute}, so no
 * write can overwrite another. Writes to different services never contend; reads take no lock.
 *
 * <p>Index values come from one sequence, so a service's index keeps increasing even when the service
 * empties and comes back. Emptied services keep their (empty) entry so the index is not lost.
 */
public class InMemoryRegistry implements Registry {

    private static final Comparator<Instance> BY_ID = Comparator.comparing(Instance::id);

    private final ConcurrentHashMap<ServiceName, ServiceEntry> services = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final ApplicationEventPublisher events;

    public InMemoryRegistry(ApplicationEventPublisher events) {
        this.events = events;
    }

    private static final class ServiceEntry {
        final ConcurrentHashMap<String, Instance> instances = new ConcurrentHashMap<>();
        volatile long index;
    }

    @Override
    public Registration register(Instance candidate, Instant now) {
        ServiceEntry entry = services.computeIfAbsent(candidate.service(), n -> new ServiceEntry());
        synchronized (entry) {
            Instance[] before = new Instance[1];
            Instance stored = entry.instances.compute(candidate.id(), (id, current) -> {
                before[0] = current;
                return current == null ? candidate : current.reregister(candidate, now);
            });
            if (before[0] == null) {
                long index = bump(entry);
                events.publishEvent(new RegistryEvent.Registered(stored, index));
                return new Registration(stored, true, index);
            }
            return new Registration(stored, false, publishChange(entry, before[0], stored));
        }
    }

    /**
     * A renewal that changes nothing a watcher sees (the common case) is applied with the instance map's
     * atomic {@code computeIfPresent} alone, without the service's monitor, so heartbeats of one service
     * never queue behind each other. Every other write also goes through {@code compute}, so none of them
     * can overwrite a renewal. A STALE instance coming back is a status change: it takes the monitor.
     */
    @Override
    public Instance heartbeat(InstanceKey key, Instant now, OptionalInt inflight) {
        ServiceEntry entry = services.get(key.service());
        if (entry == null) {
            throw new InstanceNotFoundException(key);
        }
        Instance[] before = new Instance[1];
        Instance renewed = entry.instances.computeIfPresent(key.id(), (id, current) -> {
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
            events.publishEvent(new RegistryEvent.Renewed(renewed, before[0], entry.index));
            return renewed;
        }
        synchronized (entry) {
            Instance next = entry.instances.computeIfPresent(key.id(), (id, current) -> {
                before[0] = current;
                return current.renewed(now, inflight);
            });
            if (next == null) {
                throw new InstanceNotFoundException(key);
            }
            publishChange(entry, before[0], next);
            return next;
        }
    }

    @Override
    public Optional<Instance> deregister(InstanceKey key) {
        ServiceEntry entry = services.get(key.service());
        if (entry == null) {
            return Optional.empty();
        }
        synchronized (entry) {
            Instance removed = entry.instances.remove(key.id());
            if (removed == null) {
                return Optional.empty();
            }
            events.publishEvent(new RegistryEvent.Deregistered(removed, bump(entry)));
            return Optional.of(removed);
        }
    }

    @Override
    public Optional<Instance> update(InstanceKey key, UnaryOperator<Instance> change) {
        ServiceEntry entry = services.get(key.service());
        if (entry == null) {
            return Optional.empty();
        }
        synchronized (entry) {
            Instance[] before = new Instance[1];
            Instance next = entry.instances.computeIfPresent(key.id(), (id, current) -> {
                before[0] = current;
                Instance changed = change.apply(current);
                if (changed == null || !changed.key().equals(key)) {
                    throw new IllegalArgumentException("an update must keep the instance's service and id");
                }
                return changed.equals(current) ? current : changed;
            });
            if (next == null) {
                return Optional.empty();
            }
            if (next != before[0]) {
                publishChange(entry, before[0], next);
            }
            return Optional.of(next);
        }
    }

    @Override
    public Expiry expire(InstanceKey key, Instant now, Function<Instance, ExpiryDecision> decide) {
        ServiceEntry entry = services.get(key.service());
        if (entry == null) {
            return new Expiry(ExpiryDecision.KEEP, Optional.empty());
        }
        synchronized (entry) {
            Instance[] before = new Instance[1];
            ExpiryDecision[] applied = {ExpiryDecision.KEEP};
            Instance after = entry.instances.computeIfPresent(key.id(), (id, current) -> {
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
                case EVICT -> events.publishEvent(new RegistryEvent.Evicted(before[0], bump(entry)));
                case MARK_STALE -> publishChange(entry, before[0], after);
                default -> {
                }
            }
            return new Expiry(applied[0], Optional.ofNullable(after));
        }
    }

    @Override
    public Optional<Instance> get(InstanceKey key) {
        ServiceEntry entry = services.get(key.service());
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.instances.get(key.id()));
    }

    @Override
    public ServiceSnapshot service(ServiceName name) {
        ServiceEntry entry = services.get(name);
        return entry == null ? ServiceSnapshot.empty(name) : snapshot(name, entry);
    }

    @Override
    public List<ServiceSnapshot> services() {
        List<ServiceSnapshot> result = new ArrayList<>();
        services.forEach((name, entry) -> {
            if (!entry.instances.isEmpty()) {
                result.add(snapshot(name, entry));
            }
        });
        result.sort(Comparator.comparing(ServiceSnapshot::name));
        return result;
    }

    @Override
    public long index(ServiceName name) {
        ServiceEntry entry = services.get(name);
        return entry == null ? 0 : entry.index;
    }

    @Override
    public Stream<Instance> instances() {
        return services.values().stream().flatMap(e -> e.instances.values().stream());
    }

    @Override
    public int size() {
        int total = 0;
        for (ServiceEntry entry : services.values()) {
            total += entry.instances.size();
        }
        return total;
    }

    private static ServiceSnapshot snapshot(ServiceName name, ServiceEntry entry) {
        long index = entry.index;
        List<Instance> instances = new ArrayList<>(entry.instances.values());
        instances.sort(BY_ID);
        return new ServiceSnapshot(name, index, instances);
    }

    /** Called with the entry's monitor held. */
    private long bump(ServiceEntry entry) {
        long index = sequence.incrementAndGet();
        entry.index = index;
        return index;
    }

    /** Publishes the event describing {@code previous -> next}; called with the entry's monitor held. */
    private long publishChange(ServiceEntry entry, Instance previous, Instance next) {
        if (previous.sameAs(next)) {
            events.publishEvent(new RegistryEvent.Renewed(next, previous, entry.index));
            return entry.index;
        }
        long index = bump(entry);
        boolean statusChanged = previous.status() != next.status()
                || previous.state().ejected() != next.state().ejected();
        events.publishEvent(statusChanged
                ? new RegistryEvent.StatusChanged(next, previous, index)
                : new RegistryEvent.Updated(next, previous, index));
        return index;
    }
}
