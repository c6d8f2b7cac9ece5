package io.beacon.cluster;

import io.beacon.registry.CapacityLimits;
import io.beacon.registry.ChangeOrigin;
import io.beacon.registry.Instance;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryEvents;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import io.beacon.registry.ServiceTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.infinispan.Cache;
import org.infinispan.commons.CacheException;
import org.infinispan.conflict.ConflictManager;
import org.infinispan.conflict.ConflictManagerFactory;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryExpired;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.annotation.DataRehashed;
import org.infinispan.notifications.cachelistener.annotation.PartitionStatusChanged;
import org.infinispan.notifications.cachelistener.annotation.TopologyChanged;
import org.infinispan.notifications.cachelistener.event.DataRehashedEvent;
import org.infinispan.notifications.cachelistener.event.PartitionStatusChangedEvent;
import org.infinispan.notifications.cachelistener.event.TopologyChangedEvent;
import org.infinispan.partitionhandling.AvailabilityMode;
import org.infinispan.remoting.transport.Address;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;
import org.infinispan.notifications.cachelistener.event.CacheEntryExpiredEvent;
import org.infinispan.notifications.cachelistener.event.CacheEntryRemovedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's view of the replicated cache, grouped by service ({@link ServiceTable}, as the
 * in-memory registry keeps it), and the source of this member's {@link RegistryEvent}s. It listens to
 * the cache synchronously on every member, so it sees every write made on any member while that write
 * is being applied locally: by the time a write is acknowledged to its caller, every member's view
 * holds it and has delivered its event (after releasing the service's monitor).
 *
 * <p>Indexes are cluster-wide: the member making a change gives it the service's next index
 * ({@link ClusteredRegistry}: one above the index it sees, and at least the current time in
 * microseconds), stored with the value ({@link StoredInstance#index}); every member raises the service's
 * index to that value when it applies the change, so members that applied the same changes hold the same
 * index, and a change made on any member is seen with the same index on every member. Two changes of one
 * service made at the same moment on two members may be applied in a different order on different
 * members; a member that applies a change whose index is not above its own raises its index by one instead
 * (every change raises the index), so until the service's next change those members may differ by one:
 * the index is exact for the state, and delivery across members is at least once. Writes to one key are applied in the same order on every member; {@code revision} drops
 * duplicates seen while the view is being built.
 *
 * <p>The cache is the source of truth. Once live, a written value whose revision is not above the one
 * this view holds (a copy that was repaired by a write from the key's owner, or a write seen out of order)
 * is not dropped: the view re-reads the cache's current value of the key and takes it when it differs
 * from what the view holds, so the view never stays behind its own cache.
 *
 * <p>Until {@link #bootstrap} has loaded the cache's state, writes arriving from the cluster are
 * buffered and applied afterwards, so none is missed and none applied twice.
 */
@Listener(sync = true, observation = Listener.Observation.POST)
public final class LocalView implements ChangeOrigin {

    private static final Logger log = LoggerFactory.getLogger(LocalView.class);

    /** The further re-syncs after a rebalance or a merge, counted from its notification. */
    static final List<Duration> RESYNC_AGAIN = List.of(Duration.ofSeconds(2), Duration.ofSeconds(10));
    /** How often a repair after a member left waits 200 ms for the topology to settle: 30 s in all. */
    static final int REPAIR_ATTEMPTS = 150;
    /** How long copies found differing must stay so before they are repaired: longer than a write in flight. */
    static final Duration REPAIR_SETTLE = Duration.ofSeconds(1);

    /** A change this member made, by service and index, until its counter has asked about it. */
    private record Change(ServiceName service, long index) {
    }

    /** This member's own removals and STALE markings whose events have not been counted yet. */
    private final Set<Change> madeHere = ConcurrentHashMap.newKeySet();
    /** Values this member is writing: applying one of them is applying a change made here. */
    private final Set<StoredInstance> writing = ConcurrentHashMap.newKeySet();

    private record Held(StoredInstance stored, Instance instance) {
    }

    private final ServiceTable<Held> table;
    private final List<StoredInstance> pending = new ArrayList<>();
    private volatile boolean live;
    private volatile Function<String, StoredInstance> source = key -> null;

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
        StoredInstance value = event.getValue();
        // heartbeats are never in the set: no hash of the whole value while no other write is in flight
        accept(value, value != null && !writing.isEmpty() && writing.remove(value));
    }

    /**
     * Before this member writes {@code value}: when the view applies it, the change counts as made here
     * (whichever member owns the key). {@link #written} must follow.
     */
    void writing(StoredInstance value) {
        writing.add(value);
    }

    /** After this member's write of {@code value}, applied or not. */
    void written(StoredInstance value) {
        writing.remove(value);
    }

    /**
     * True once for each removal or STALE marking this member made (the counters of
     * {@code beacon_deregistrations}, {@code beacon_evictions}, {@code beacon_stale} count only there).
     */
    @Override
    public boolean appliedHere(RegistryEvent event) {
        return madeHere.remove(new Change(event.service(), event.index()));
    }

    @CacheEntryRemoved
    public void onRemoved(CacheEntryRemovedEvent<String, StoredInstance> event) {
        StoredInstance old = event.getOldValue();
        if (old != null && !old.isTombstone()) {
            // Beacon never removes a live entry (it writes a tombstone); treat an outside removal as a deregistration.
            accept(old.tombstone("DEREGISTERED"));
        }
    }

    /**
     * Once a degraded member is available again (its partition merged), its copy may hold values the merge
     * wrote without this view seeing them: the view is brought in line with the whole cache, off the
     * notification thread.
     */
    @PartitionStatusChanged
    public void onAvailability(PartitionStatusChangedEvent<String, StoredInstance> event) {
        if (!event.isPre() && event.getAvailabilityMode() == AvailabilityMode.AVAILABLE && live) {
            resyncSoon(event.getCache());
        }
    }

    /**
     * After a rebalance (a member joined or left, or partitions merged and their conflicts were resolved):
     * values the state transfer or the conflict resolution wrote reach the cache without a write event, so
     * the view is brought in line with the cache, off the notification thread.
     */
    @DataRehashed
    public void onRehashed(DataRehashedEvent<String, StoredInstance> event) {
        if (!event.isPre() && live) {
            resyncSoon(event.getCache());
        }
    }

    /**
     * After a topology change that a member's departure caused, one member (the first of the new topology)
     * compares the survivors' copies and repairs those that differ. A member that crashed while one of its
     * writes was being replicated may have left that write (never acknowledged) on some survivors only, and
     * nothing writes the key again until its next heartbeat or expiry.
     */
    @TopologyChanged
    public void onTopologyChanged(TopologyChangedEvent<String, StoredInstance> event) {
        if (event.isPre() || !live || event.getWriteConsistentHashAtStart() == null) {
            return;
        }
        List<Address> before = event.getWriteConsistentHashAtStart().getMembers();
        List<Address> after = event.getWriteConsistentHashAtEnd().getMembers();
        if (!after.isEmpty() && !after.containsAll(before)
                && after.get(0).equals(event.getCache().getCacheManager().getAddress())) {
            repairSoon(event.getCache(), 0);
        }
    }

    /**
     * Repairs the copies that differ ({@link CopyRepair}) off the notification thread: once no state transfer
     * runs and the topology stays put for one scan (retried every 200 ms, for at most {@link #REPAIR_ATTEMPTS}
     * attempts), the copies are compared, and those still differing in the same way {@link #REPAIR_SETTLE}
     * later are repaired; then this view re-syncs. The other members' views take the repaired values as writes.
     */
    private void repairSoon(Cache<String, StoredInstance> cache, int attempt) {
        Executor when = attempt == 0 ? ForkJoinPool.commonPool()
                : CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS);
        CompletableFuture.runAsync(() -> {
            if (!repairable(cache)) {
                return; // stopping, or on a minority side: the merge resolves the copies
            }
            ConflictManager<String, StoredInstance> conflicts = ConflictManagerFactory.get(cache.getAdvancedCache());
            Map<String, CopyRepair.Copies> differing = compare(conflicts);
            if (differing == null) {
                if (attempt + 1 < REPAIR_ATTEMPTS) {
                    repairSoon(cache, attempt + 1);
                } else {
                    log.warn("A member left, and the survivors' copies were not compared: the topology kept "
                            + "changing; each instance's next heartbeat or expiry writes it again");
                }
                return;
            }
            if (differing.isEmpty()) {
                return;
            }
            CompletableFuture.runAsync(() -> {
                if (repairable(cache)) {
                    int repaired = CopyRepair.repair(cache.getAdvancedCache(), conflicts, differing);
                    resync(cache.values());
                    log.info("A member left: {} of the survivors' copies differed, {} repaired", differing.size(),
                            repaired);
                }
            }, CompletableFuture.delayedExecutor(REPAIR_SETTLE.toMillis(), TimeUnit.MILLISECONDS))
                    .exceptionally(e -> repairFailed(cache, e));
        }, when).exceptionally(e -> repairFailed(cache, e));
    }

    /** The keys whose copies differ, or null when they cannot be compared now (the topology is moving). */
    private static Map<String, CopyRepair.Copies> compare(ConflictManager<String, StoredInstance> conflicts) {
        if (conflicts.isStateTransferInProgress() || conflicts.isConflictResolutionInProgress()) {
            return null;
        }
        try {
            return CopyRepair.differing(conflicts);
        } catch (CacheException | IllegalStateException e) { // the topology moved on, or a state transfer began
            log.debug("The survivors' copies could not be compared yet", e);
            return null;
        }
    }

    private static boolean repairable(Cache<String, StoredInstance> cache) {
        return cache.getStatus().allowInvocations()
                && cache.getAdvancedCache().getAvailability() == AvailabilityMode.AVAILABLE;
    }

    private static Void repairFailed(Cache<String, StoredInstance> cache, Throwable e) {
        if (!cache.getStatus().allowInvocations()) {
            return null; // this member stops
        }
        log.warn("A member left, and repairing the survivors' differing copies failed; each instance's next "
                + "heartbeat or expiry writes it again", e);
        return null;
    }

    /**
     * Re-syncs off the notification thread now and twice more ({@link #RESYNC_AGAIN}): after a merge, conflict
     * resolution may still be writing the preferred partition's values (without write events) when the
     * availability change or the rebalance is notified. Each pass is cheap (one read of this member's copy).
     */
    private void resyncSoon(Cache<String, StoredInstance> cache) {
        Runnable pass = () -> {
            if (cache.getStatus().allowInvocations()) { // not while this member stops
                resync(cache.values());
            }
        };
        Function<Throwable, Void> failed = e -> {
            if (cache.getStatus().allowInvocations()) {
                log.warn("Re-sync of the local view with the cluster cache failed; the next rebalance or merge "
                        + "repeats it", e);
            }
            return null;
        };
        CompletableFuture.runAsync(pass).exceptionally(failed);
        for (Duration after : RESYNC_AGAIN) {
            CompletableFuture.runAsync(pass, CompletableFuture.delayedExecutor(after.toMillis(), TimeUnit.MILLISECONDS))
                    .exceptionally(failed);
        }
    }

    /**
     * Brings this view in line with {@code current}, the cache's values: a value that differs from the one
     * held is taken, an instance the cache no longer holds is removed (as a deregistration).
     */
    void resync(Iterable<StoredInstance> current) {
        Set<String> present = new HashSet<>();
        for (StoredInstance stored : current) {
            String key = StoredInstance.key(ServiceName.of(stored.service()), stored.id());
            present.add(key);
            if (!stored.isTombstone() && table.get(ServiceName.of(stored.service()), stored.id()).isEmpty()) {
                // not held here: it may have been removed since the pass read it; the current copy decides
                stored = source.apply(key);
            }
            accept(stored);
        }
        // an instance missing from the pass may have been written since the pass went by its place: removed
        // only when the cache's current copy of its key holds no live value (writes go on meanwhile)
        table.instances().filter(i -> !present.contains(StoredInstance.key(i.service(), i.id())))
                .toList()
                .forEach(i -> {
                    StoredInstance now = source.apply(StoredInstance.key(i.service(), i.id()));
                    if (now == null) {
                        accept(StoredInstance.of(i, Long.MAX_VALUE - 1).tombstone("DEREGISTERED"));
                    } else {
                        accept(now);
                    }
                });
    }

    @CacheEntryExpired
    public void onExpired(CacheEntryExpiredEvent<String, StoredInstance> event) {
        // only tombstones carry a lifespan: the instance already left this view when the tombstone was written
    }

    /**
     * Loads the cache's current values, then applies the writes buffered meanwhile and goes live;
     * {@code source} reads this member's copy of one key afterwards.
     */
    void bootstrap(Iterable<StoredInstance> current, Function<String, StoredInstance> source) {
        this.source = source;
        bootstrap(current);
    }

    /** Loads the cache's current values, then applies the writes buffered meanwhile and goes live. */
    void bootstrap(Iterable<StoredInstance> current) {
        List<StoredInstance> loaded = new ArrayList<>();
        current.forEach(loaded::add);
        // in index order, so each service ends at the index the other members hold (tombstones included)
        loaded.sort(java.util.Comparator.comparingLong(StoredInstance::index));
        loaded.forEach(this::apply);
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
        accept(stored, false);
    }

    private void accept(StoredInstance stored, boolean local) {
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
        apply(stored, local);
    }

    private void apply(StoredInstance written) {
        apply(written, false);
    }

    private void apply(StoredInstance written, boolean local) {
        ServiceTable.Entry<Held> entry = table.entry(ServiceName.of(written.service()));
        entry.write(() -> {
            Held previous = entry.instances().get(written.id());
            StoredInstance stored = written;
            if (previous != null && previous.stored().revision() >= written.revision()) {
                if (!live || previous.stored().equals(written)) {
                    return null;
                }
                stored = source.apply(StoredInstance.key(ServiceName.of(written.service()), written.id()));
                if (stored == null || stored.equals(previous.stored())) {
                    return null;
                }
            }
            if (stored.isTombstone()) {
                if (previous != null) {
                    entry.instances().remove(stored.id());
                    long index = entry.removed(previous.instance(), "EVICTED".equals(stored.removal()), stored.index());
                    if (local) {
                        madeHere.add(new Change(entry.name(), index));
                    }
                } else if (!live) {
                    entry.advanceTo(stored.index());
                }
                return null;
            }
            Instance next = stored.toInstance();
            entry.instances().put(stored.id(), new Held(stored, next));
            if (previous == null) {
                entry.registered(next, stored.index());
            } else {
                long index = entry.changed(previous.instance(), next, stored.index());
                if (local && next.state().stale() && !previous.instance().state().stale()) {
                    madeHere.add(new Change(entry.name(), index));
                }
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
