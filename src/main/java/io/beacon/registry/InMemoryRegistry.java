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
 * <p>Writes to one service are serialised by that service's monitor, which makes "change, bump the
 * index, publish the event" one step: events of a service are published in index order and only after
 * the change is visible. Writes to different services never contend; reads take no lock.
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
            Instance existing = entry.instances.get(candidate.id());
            if (existing == null) {
                entry.instances.put(candidate.id(), candidate);
                long index = bump(entry);
                events.publishEvent(new RegistryEvent.Registered(candidate, index));
                return new Registration(candidate, true, index);
            }
            Instance next = existing.reregister(candidate, now);
            entry.instances.put(next.id(), next);
            long index = publishChange(entry, existing, next);
            return new Registration(next, false, index);
        }
    }

    @Override
    public Instance heartbeat(InstanceKey key, Instant now, OptionalInt inflight) {
        ServiceEntry entry = services.get(key.service());
        if (entry == null) {
            throw new InstanceNotFoundException(key);
        }
        synchronized (entry) {
            Instance current = entry.instances.get(key.id());
            if (current == null) {
                throw new InstanceNotFoundException(key);
            }
            Instance next = current.withLease(current.lease().renew(now));
            if (inflight.isPresent()) {
                next = next.withInflight(inflight.getAsInt());
            }
            if (current.state().stale()) {
                next = next.withState(next.state().withStale(false, now));
            }
            entry.instances.put(key.id(), next);
            publishChange(entry, current, next);
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
            Instance current = entry.instances.get(key.id());
            if (current == null) {
                return Optional.empty();
            }
            Instance next = change.apply(current);
            if (next == null || !next.key().equals(key)) {
                throw new IllegalArgumentException("an update must keep the instance's service and id");
            }
            if (next.equals(current)) {
                return Optional.of(current);
            }
            entry.instances.put(key.id(), next);
            publishChange(entry, current, next);
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
            Instance current = entry.instances.get(key.id());
            if (current == null) {
                return new Expiry(ExpiryDecision.KEEP, Optional.empty());
            }
            ExpiryDecision decision = decide.apply(current);
            switch (decision) {
                case EVICT -> {
                    entry.instances.remove(key.id());
                    events.publishEvent(new RegistryEvent.Evicted(current, bump(entry)));
                    return new Expiry(ExpiryDecision.EVICT, Optional.empty());
                }
                case MARK_STALE -> {
                    if (current.state().stale()) {
                        return new Expiry(ExpiryDecision.KEEP, Optional.of(current));
                    }
                    Instance next = current.withState(current.state().withStale(true, now));
                    entry.instances.put(key.id(), next);
                    publishChange(entry, current, next);
                    return new Expiry(ExpiryDecision.MARK_STALE, Optional.of(next));
                }
                default -> {
                    return new Expiry(ExpiryDecision.KEEP, Optional.of(current));
                }
            }
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
