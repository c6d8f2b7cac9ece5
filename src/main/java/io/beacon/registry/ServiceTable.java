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
 * <p>Capacity ({@link CapacityLimits}): the table counts live instances and services with at least one
 * instance as {@link Entry#registered} and {@link Entry#removed} report them. A writer that creates
 * instances itself calls {@link Entry#admit} inside {@link Entry#write} before it adds a new id: the
 * per-service count is exact under the monitor, and the totals are reserved with a compare-and-set, so
 * concurrent registrations never overshoot a limit. A writer that only applies changes made elsewhere (the
 * cluster's local view) asks {@link #check} before making the change; it may overshoot by the
 * registrations in flight at that moment.
 *
 * @param <V> what is stored per instance id
 */
public final class ServiceTable<V> {

    private static final Comparator<Instance> BY_ID = Comparator.comparing(Instance::id);

    private final ConcurrentHashMap<ServiceName, Entry<V>> services = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final RegistryEvents events;
    private final Function<V, Instance> instanceOf;
    private final Capacity capacity;

    /** A table without capacity limits. */
    public ServiceTable(RegistryEvents events, Function<V, Instance> instanceOf) {
        this(events, instanceOf, CapacityLimits.UNLIMITED);
    }

    public ServiceTable(RegistryEvents events, Function<V, Instance> instanceOf, CapacityLimits capacity) {
        this.events = events;
        this.instanceOf = instanceOf;
        this.capacity = new Capacity(capacity);
    }

    /**
     * Throws {@link CapacityExceededException} when a new instance {@code id} of {@code service} would pass a
     * capacity limit; a known id always passes. Reserves nothing (see the class comment).
     */
    public void check(ServiceName service, String id) {
        Entry<V> entry = services.get(service);
        if (entry != null && entry.instances.containsKey(id)) {
            return;
        }
        capacity.check(service, entry == null ? 0 : entry.instances.size());
    }

    /** The entry of {@code name}, created empty when the service is new. */
    public Entry<V> entry(ServiceName name) {
        Entry<V> existing = services.get(name);
        return existing != null ? existing : services.computeIfAbsent(name, n -> new Entry<>(this, n));
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

    /** Services with at least one instance, as counted for {@link CapacityLimits#maxServices}. */
    public int liveServices() {
        return capacity.services();
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
        private final ServiceName name;
        /** Reservations {@link #admit} made for the write in progress (under the monitor only). */
        private boolean reserved;
        private boolean reservedService;

        private Entry(ServiceTable<V> table, ServiceName name) {
            this.table = table;
            this.name = name;
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
                } finally {
                    release();
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

        /**
         * Before adding {@code id} to this service, inside {@link #write}: throws
         * {@link CapacityExceededException} when a new id would pass a capacity limit, and otherwise reserves
         * its place in the totals for the {@link #registered} that follows (released if none does). A known id
         * (a re-registration) always passes and reserves nothing.
         */
        public void admit(String id) {
            assert Thread.holdsLock(this);
            if (reserved || instances.containsKey(id)) {
                return;
            }
            boolean newService = instances.isEmpty();
            table.capacity.reserve(name, instances.size());
            reserved = true;
            reservedService = newService;
        }

        /** Gives back what {@link #admit} reserved for a write that added nothing. */
        private void release() {
            if (reserved) {
                table.capacity.release(reservedService);
                reserved = false;
                reservedService = false;
            }
        }

        /** A new instance id: bumps the index and raises {@code Registered}. Inside {@link #write} only. */
        public long registered(Instance added) {
            return registered(added, 0);
        }

        /**
         * As {@link #registered(Instance)}, with the index the change was given where it was made
         * ({@code proposed}, see {@link #bump(long)}); 0 to take the table's next one.
         */
        public long registered(Instance added, long proposed) {
            assert Thread.holdsLock(this);
            if (reserved) {
                reserved = false;
                reservedService = false;
            } else {
                table.capacity.added(instances.size() == 1);
            }
            long next = bump(proposed);
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
            return changed(previous, next, 0);
        }

        /** As {@link #changed(Instance, Instance)}, with a proposed index ({@link #bump(long)}). */
        public long changed(Instance previous, Instance next, long proposed) {
            assert Thread.holdsLock(this);
            if (previous.sameAs(next)) {
                outbox.add(new RegistryEvent.Renewed(next, previous, index));
                return index;
            }
            long bumped = bump(proposed);
            boolean statusChanged = previous.status() != next.status()
                    || previous.state().ejected() != next.state().ejected();
            outbox.add(statusChanged
                    ? new RegistryEvent.StatusChanged(next, previous, bumped)
                    : new RegistryEvent.Updated(next, previous, bumped));
            return bumped;
        }

        /** An instance left: bumps the index and raises {@code Evicted} or {@code Deregistered}. Inside {@link #write} only. */
        public long removed(Instance gone, boolean evicted) {
            return removed(gone, evicted, 0);
        }

        /** As {@link #removed(Instance, boolean)}, with a proposed index ({@link #bump(long)}). */
        public long removed(Instance gone, boolean evicted, long proposed) {
            assert Thread.holdsLock(this);
            table.capacity.removed(instances.isEmpty());
            long next = bump(proposed);
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

        /**
         * Raises the index to {@code at} without an event (a change this table learns of only by its index,
         * such as a removal that happened before the table was loaded); a lower value changes nothing.
         */
        public void advanceTo(long at) {
            assert Thread.holdsLock(this);
            if (at > index) {
                index = at;
                table.sequence.accumulateAndGet(at, Math::max);
            }
        }

        /**
         * The next index: the table's next sequence value, or, for a change given its index where it was made
         * ({@code proposed > 0}, the cluster), {@code proposed} itself when it is above the current index, and
         * one above the current index otherwise (every change still raises the index).
         */
        private long bump(long proposed) {
            long next = proposed > 0 ? Math.max(index + 1, proposed) : table.sequence.incrementAndGet();
            if (proposed > 0) {
                table.sequence.accumulateAndGet(next, Math::max);
            }
            index = next;
            return next;
        }
    }
}
