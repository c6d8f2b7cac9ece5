package io.beacon.cluster;

import io.beacon.registry.Instance;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryExpired;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;
import org.infinispan.notifications.cachelistener.event.CacheEntryExpiredEvent;
import org.infinispan.notifications.cachelistener.event.CacheEntryRemovedEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * This member's view of the replicated cache, grouped by service, and the source of this member's
 * {@link RegistryEvent}s. It listens to the cache synchronously on every member, so it sees every
 * write made on any member while that write is being applied locally: by the time a write is
 * acknowledged to its caller, every member's view holds it and has published its event.
 *
 * <p>Indexes are per member: each member bumps a service's index for every change it applies, from one
 * member-local sequence, so a service's index strictly increases on each member and events are
 * published in index order per service (under the service's monitor); the same change may carry
 * different index values on different members. Writes to one key are applied in the same order on
 * every member; {@code revision} drops duplicates seen while the view is being built.
 *
 * <p>Until {@link #bootstrap} has loaded the cache's state, writes arriving from the cluster are
 * buffered and applied afterwards, so none is missed and none applied twice.
 */
@Listener(sync = true, observation = Listener.Observation.POST)
public final class LocalView {

    private static final Comparator<Instance> BY_ID = Comparator.comparing(Instance::id);

    private record Held(StoredInstance stored, Instance instance) {
    }

    private static final class ServiceEntry {
        final ConcurrentHashMap<String, Held> instances = new ConcurrentHashMap<>();
        volatile long index;
    }

    private final ConcurrentHashMap<ServiceName, ServiceEntry> services = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final ApplicationEventPublisher events;
    private final List<StoredInstance> pending = new ArrayList<>();
    private volatile boolean live;

    public LocalView(ApplicationEventPublisher events) {
        this.events = events;
    }

    @CacheEntryCreated
    @CacheEntryModified
    public void onWrite(CacheEntryEvent<String, StoredInstance> event) {
        accept(event.getValue());
    }

    @CacheEntryRemoved
    public void onRemoved(CacheEntryRemovedEvent<String, StoredInstance> event) {
        StoredInstance old = event.getOldValue();
        if (old != null && !old.isTombstone()) {
            // Beacon never removes a live entry (it writes a tombstone); treat an outside removal as a deregistration.
            accept(old.tombstone("DEREGISTERED"));
        }
    }

    @CacheEntryExpired
    public void onExpired(CacheEntryExpiredEvent<String, StoredInstance> event) {
        // only tombstones carry a lifespan: the instance already left this view when the tombstone was written
    }

    /** Loads the cache's current values, then applies the writes buffered meanwhile and goes live. */
    void bootstrap(Iterable<StoredInstance> current) {
        for (StoredInstance stored : current) {
            if (!stored.isTombstone()) {
                apply(stored);
            }
        }
        synchronized (pending) {
            pending.forEach(this::apply);
            pending.clear();
            live = true;
        }
    }

    /** True once the cache's state has been loaded. */
    boolean isLive() {
        return live;
    }

    private void accept(StoredInstance stored) {
        if (stored == null) {
            return;
        }
        if (!live) {
            synchronized (pending) {
                if (!live) {
                    pending.add(stored);
                    return;
                }
            }
        }
        apply(stored);
    }

    private void apply(StoredInstance stored) {
        ServiceName name = ServiceName.of(stored.service());
        ServiceEntry entry = services.computeIfAbsent(name, n -> new ServiceEntry());
        synchronized (entry) {
            Held previous = entry.instances.get(stored.id());
            if (previous != null && previous.stored().revision() >= stored.revision()) {
                return;
            }
            if (stored.isTombstone()) {
                if (previous == null) {
                    return;
                }
                entry.instances.remove(stored.id());
                Instance gone = previous.instance();
                long index = bump(entry);
                events.publishEvent("EVICTED".equals(stored.removal())
                        ? new RegistryEvent.Evicted(gone, index) : new RegistryEvent.Deregistered(gone, index));
                return;
            }
            Instance next = stored.toInstance();
            entry.instances.put(stored.id(), new Held(stored, next));
            if (previous == null) {
                events.publishEvent(new RegistryEvent.Registered(next, bump(entry)));
            } else if (previous.instance().sameAs(next)) {
                events.publishEvent(new RegistryEvent.Renewed(next, previous.instance(), entry.index));
            } else {
                Instance before = previous.instance();
                long index = bump(entry);
                boolean statusChanged = before.status() != next.status()
                        || before.state().ejected() != next.state().ejected();
                events.publishEvent(statusChanged ? new RegistryEvent.StatusChanged(next, before, index)
                        : new RegistryEvent.Updated(next, before, index));
            }
        }
    }

    private long bump(ServiceEntry entry) {
        long index = sequence.incrementAndGet();
        entry.index = index;
        return index;
    }

    Optional<Instance> get(ServiceName service, String id) {
        ServiceEntry entry = services.get(service);
        Held held = entry == null ? null : entry.instances.get(id);
        return held == null ? Optional.empty() : Optional.of(held.instance());
    }

    ServiceSnapshot service(ServiceName name) {
        ServiceEntry entry = services.get(name);
        return entry == null ? ServiceSnapshot.empty(name) : snapshot(name, entry);
    }

    List<ServiceSnapshot> services() {
        List<ServiceSnapshot> result = new ArrayList<>();
        services.forEach((name, entry) -> {
            if (!entry.instances.isEmpty()) {
                result.add(snapshot(name, entry));
            }
        });
        result.sort(Comparator.comparing(ServiceSnapshot::name));
        return result;
    }

    long index(ServiceName name) {
        ServiceEntry entry = services.get(name);
        return entry == null ? 0 : entry.index;
    }

    Stream<Instance> instances() {
        return services.values().stream().flatMap(e -> e.instances.values().stream()).map(Held::instance);
    }

    int size() {
        int total = 0;
        for (ServiceEntry entry : services.values()) {
            total += entry.instances.size();
        }
        return total;
    }

    private static ServiceSnapshot snapshot(ServiceName name, ServiceEntry entry) {
        long index = entry.index;
        List<Instance> instances = new ArrayList<>(entry.instances.size());
        entry.instances.values().forEach(h -> instances.add(h.instance()));
        instances.sort(BY_ID);
        return new ServiceSnapshot(name, index, instances);
    }
}
