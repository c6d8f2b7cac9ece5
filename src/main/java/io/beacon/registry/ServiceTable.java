package io.beacon.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What every registry implementation keeps per service: the instances (as {@code V}, which
 * {@code instanceOf} turns into an {@link Instance}), the index, the snapshots readers get and the
 * events writers raise. The in-memory registry holds instances themselves; the cluster's local view
 * holds them with their replicated form.
 *
 * <p>Index values come from one sequence, so a service's index keeps increasing even when the service
 * empties and comes back; emptied services keep their (empty) entry so the index is not lost. Writes to
 * one service go through {@link Entry#write}: the change is applied under the entry's monitor, which
 * bumps the index and queues the event in one step, and the event is delivered after the monitor is
 * released. Reads take no lock.
 *
 * @param <V> what is stored per instance id
 */
public final class ServiceTable<V> {

    private static final Comparator<Instance> BY_ID = Comparator.comparing(Instance::id);

    private final ConcurrentHashMap<ServiceName, Entry<V>> services = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final RegistryEvents events;
    private final Function<V, Instance> instanceOf;

    public ServiceTable(RegistryEvents events, Function<V, Instance> instanceOf) {
        this.events = events;
        this.instanceOf = instanceOf;
    }

    /** The entry of {@code name}, created empty when the service is new. */
    public Entry<V> entry(ServiceName name) {
        Entry<V> existing = services.get(name);
        return existing != null ? existing : services.computeIfAbsent(name, n -> new Entry<>(this));
    }

    /** The entry of {@code name}, or null when the service was never seen. */
    public Entry<V> existing(ServiceName name) {
        return services.get(name);
    }

    public Optional<Instance> get(ServiceName service, String id) {
        Entry<V> entry = services.get(service);
        V value = entry == null ? null : entry.instances.get(id);
        return value == null ? Optional.empty() : Optional.of(instanceOf.apply(value));
    }

    /** One service; an empty snapshot (index 0, or the last index if it once existed) when unknown. */
    public ServiceSnapshot snapshot(ServiceName name) {
        Entry<V> entry = services.get(name);
        return entry == null ? ServiceSnapshot.empty(name) : snapshot(name, entry);
    }

    /** Every service that has at least one instance, sorted by name. */
    public List<ServiceSnapshot> snapshots() {
        List<ServiceSnapshot> result = new ArrayList<>();
        services.forEach((name, entry) -> {
            if (!entry.instances.isEmpty()) {
                result.add(snapshot(name, entry));
            }
        });
        result.sort(Comparator.comparing(ServiceSnapshot::name));
        return result;
    }

    public long index(ServiceName name) {
        Entry<V> entry = services.get(name);
        return entry == null ? 0 : entry.index;
    }

    /** Every instance of every service, weakly consistent. */
    public Stream<Instance> instances() {
        return services.values().stream().flatMap(e -> e.instances.values().stream()).map(instanceOf);
    }

    public int size() {
        int total = 0;
        for (Entry<V> entry : services.values()) {
            total += entry.instances.size();
        }
        return total;
    }

    /** The index is read before the instances, so the instances are at least as new as the index. */
    private ServiceSnapshot snapshot(ServiceName name, Entry<V> entry) {
        long index = entry.index;
        List<Instance> instances = new ArrayList<>(entry.instances.size());
        for (V value : entry.instances.values()) {
            instances.add(instanceOf.apply(value));
        }
        instances.sort(BY_ID);
        return new ServiceSnapshot(name, index, instances);
    }

    /**
     * One service. The instance map may be read and {@code compute}d at any time (the heartbeat fast
     * path does); every write that raises an event runs in {@link #write} and reports its change
     * with {@link #registered}, {@link #changed} or {@link #removed}.
     *
     * @param <V> what is stored per instance id
     */
    public static final class Entry<V> {

        private final ServiceTable<V> table;
        private final ConcurrentHashMap<String, V> instances = new ConcurrentHashMap<>();
        private final EventOutbox outbox;
        private volatile long index;

        private Entry(ServiceTable<V> table) {
            this.table = table;
            this.outbox = new EventOutbox(table.events);
        }

        public ConcurrentMap<String, V> instances() {
            return instances;
        }

        public long index() {
            return index;
        }

        /**
         * Runs {@code change} under this service's monitor, then (monitor released) delivers the events it
         * raised; returns {@code change}'s result, or throws what it threw, once the events are delivered.
         */
        public <R> R write(Supplier<R> change) {
            R result = null;
            RuntimeException failure = null;
            long before;
            long after;
            synchronized (this) {
                before = outbox.added();
                try {
                    result = change.get();
                } catch (RuntimeException e) {
                    failure = e;
                }
                after = outbox.added();
            }
            if (after != before) {
                outbox.flush(after);
            }
            if (failure != null) {
                throw failure;
            }
            return result;
        }

        /** A new instance id: bumps the index and raises {@code Registered}. Inside {@link #write} only. */
        public long registered(Instance added) {
            assert Thread.holdsLock(this);
            long next = bump();
            outbox.add(new RegistryEvent.Registered(added, next));
            return next;
        }

        /**
         * An instance went from {@code previous} to {@code next}: a renewal when a watcher would see no
         * difference (the index stays), otherwise a status change (effective status or ejection) or an
         * update, with a new index. Inside {@link #write} only.
         *
         * @return the service's index after the change
         */
        public long changed(Instance previous, Instance next) {
            assert Thread.holdsLock(this);
            if (previous.sameAs(next)) {
                outbox.add(new RegistryEvent.Renewed(next, previous, index));
                return index;
            }
            long bumped = bump();
            boolean statusChanged = previous.status() != next.status()
                    || previous.state().ejected() != next.state().ejected();
            outbox.add(statusChanged
                    ? new RegistryEvent.StatusChanged(next, previous, bumped)
                    : new RegistryEvent.Updated(next, previous, bumped));
            return bumped;
        }

        /** An instance left: bumps the index and raises {@code Evicted} or {@code Deregistered}. Inside {@link #write} only. */
        public long removed(Instance gone, boolean evicted) {
            assert Thread.holdsLock(this);
            long next = bump();
            outbox.add(evicted ? new RegistryEvent.Evicted(gone, next) : new RegistryEvent.Deregistered(gone, next));
            return next;
        }

        /**
         * A plain renewal applied without the monitor (the heartbeat fast path): its event goes to the
         * listeners at once, on this thread, outside the per-service order.
         */
        public void renewed(Instance previous, Instance next) {
            RegistryEvent.Renewed event = new RegistryEvent.Renewed(next, previous, index);
            if (table.events.isStarted()) {
                table.events.deliver(event);
            } else {
                write(() -> outbox.add(event));
            }
        }

        private long bump() {
            long next = table.sequence.incrementAndGet();
            index = next;
            return next;
        }
    }
}
