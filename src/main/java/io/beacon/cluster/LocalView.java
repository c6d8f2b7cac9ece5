package io.beacon.cluster;

import io.beacon.registry.CapacityLimits;
import io.beacon.registry.Instance;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryEvents;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import io.beacon.registry.ServiceTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryExpired;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;
import org.infinispan.notifications.cachelistener.event.CacheEntryExpiredEvent;
import org.infinispan.notifications.cachelistener.event.CacheEntryRemovedEvent;

/**
 * This member's view of the replicated cache, grouped by service ({@link ServiceTable}, as the
 * in-memory registry keeps it), and the source of this member's {@link RegistryEvent}s. It listens to
 * the cache synchronously on every member, so it sees every write made on any member while that write
 * is being applied locally: by the time a write is acknowledged to its caller, every member's view
 * holds it and has delivered its event (after releasing the service's monitor).
 *
 * <p>Indexes are per member: each member bumps a service's index for every change it applies, from one
 * member-local sequence, so a service's index strictly increases on each member and events are
 * delivered in index order per service; the same change may carry different index values on different
 * members. Writes to one key are applied in the same order on every member; {@code revision} drops
 * duplicates seen while the view is being built.
 *
 * <p>Until {@link #bootstrap} has loaded the cache's state, writes arriving from the cluster are
 * buffered and applied afterwards, so none is missed and none applied twice.
 */
@Listener(sync = true, observation = Listener.Observation.POST)
public final class LocalView {

    private record Held(StoredInstance stored, Instance instance) {
    }

    private final ServiceTable<Held> table;
    private final List<StoredInstance> pending = new ArrayList<>();
    private volatile boolean live;

    public LocalView(RegistryEvents events) {
        this(events, CapacityLimits.UNLIMITED);
    }

    public LocalView(RegistryEvents events, CapacityLimits capacity) {
        this.table = new ServiceTable<>(events, Held::instance, capacity);
    }

    /**
     * Throws {@code CapacityExceededException} when a new instance {@code id} of {@code service} would pass
     * a capacity limit as this member sees the registry (writes applied here are never refused).
     */
    void checkCapacity(ServiceName service, String id) {
        table.check(service, id);
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

    /** Applies one written value (package-private for tests; the cache listener methods call it). */
    void accept(StoredInstance stored) {
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
        ServiceTable.Entry<Held> entry = table.entry(ServiceName.of(stored.service()));
        entry.write(() -> {
            Held previous = entry.instances().get(stored.id());
            if (previous != null && previous.stored().revision() >= stored.revision()) {
                return null;
            }
            if (stored.isTombstone()) {
                if (previous != null) {
                    entry.instances().remove(stored.id());
                    entry.removed(previous.instance(), "EVICTED".equals(stored.removal()));
                }
                return null;
            }
            Instance next = stored.toInstance();
            entry.instances().put(stored.id(), new Held(stored, next));
            if (previous == null) {
                entry.registered(next);
            } else {
                entry.changed(previous.instance(), next);
            }
            return null;
        });
    }

    Optional<Instance> get(ServiceName service, String id) {
        return table.get(service, id);
    }

    ServiceSnapshot service(ServiceName name) {
        return table.snapshot(name);
    }

    List<ServiceSnapshot> services() {
        return table.snapshots();
    }

    long index(ServiceName name) {
        return table.index(name);
    }

    Stream<Instance> instances() {
        return table.instances();
    }

    int size() {
        return table.size();
    }
}
