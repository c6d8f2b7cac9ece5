package io.beacon.cluster;

import io.beacon.partition.CutOff;
import io.beacon.registry.ExpiryDecision;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.Registry;
import io.beacon.registry.RegistryUnavailableException;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.infinispan.Cache;
import org.infinispan.partitionhandling.AvailabilityMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry shared by every cluster member: a synchronously replicated Infinispan cache of
 * {@link StoredInstance} keyed {@code service/id}. A write returns only once every member has applied
 * it (and delivered its event, see {@link LocalView}); reads come from this member's memory.
 *
 * <p>Heartbeats are renewed by a function run on the key's owners, in batches ({@link RenewalBatcher}).
 * Every other write is a compare-and-set on one key ({@code putIfAbsent}, {@code replace(key, expected,
 * next)}), retried on conflict after re-reading: a heartbeat racing the sweeper on another member is
 * never lost, and a STALE marking or eviction takes effect once cluster-wide even if two members tried.
 * Removals write a tombstone (with a lifespan) so every member can tell a deregistration from an
 * eviction.
 *
 * <p>Compare-and-set loops are bounded ({@link #MAX_ATTEMPTS}) and every retry is counted
 * ({@code beacon_cluster_cas_retries_total}). A retry first re-reads this member's copy; when that copy is
 * still the value the last attempt failed against, it differs from the primary owner's (the owner decides
 * every compare-and-set), so the retry compares against the owner's value instead, read through the owner
 * ({@link Renewal.Peek}). The write that then succeeds carries the whole value to every member, so the
 * copies converge. A write that still conflicts after the last attempt is given up with a WARN: a client
 * write answers {@link RegistryUnavailableException}, an expiry step keeps the instance for the next sweep.
 *
 * <p>A member cut off from the majority (Infinispan partition handling, see {@link ClusterConfiguration})
 * refuses writes with {@link RegistryUnavailableException}; its reads still answer from its copy.
 *
 * <p>Capacity limits are checked against this member's view before a new instance is written, so
 * registrations racing on several members may overshoot a limit by the registrations in flight at once.
 *
 * <p>Expiry: which member applies STALE markings and evictions is the {@code NodeRole}'s business
 * (the sweeper asks it); {@link #expire} applies whatever decision it is asked to, on any member.
 */
public class ClusteredRegistry implements Registry {

    /** Compare-and-set attempts on one key before a write is given up. */
    static final int MAX_ATTEMPTS = 8;

    private static final Logger log = LoggerFactory.getLogger(ClusteredRegistry.class);

    private final Cache<String, StoredInstance> cache;
    private final LocalView view;
    private final Timer replication;
    private final Counter casRetries;
    private final long tombstoneMillis;
    private final RenewalBatcher renewals;
    private final Function<String, StoredInstance> owners;
    private final Clock clock;

    /**
     * @param owners reads a key's value through its primary owner
     * @param clock gives indexes their lower bound (microseconds since the epoch)
     */
    ClusteredRegistry(Cache<String, StoredInstance> cache, LocalView view, Timer replication, Counter casRetries,
            Duration tombstoneLifespan, RenewalBatcher renewals, Function<String, StoredInstance> owners, Clock clock) {
        this.cache = cache;
        this.clock = clock;
        this.renewals = renewals;
        this.view = view;
        this.replication = replication;
        this.casRetries = casRetries;
        this.owners = owners;
        this.tombstoneMillis = tombstoneLifespan.toMillis();
    }

    @Override
    public Registration register(Instance candidate, Instant now) {
        String key = StoredInstance.key(candidate.service(), candidate.id());
        Attempts attempts = new Attempts(key, "registration");
        while (true) {
            StoredInstance stored = attempts.read();
            StoredInstance current = live(stored);
            if (current == null) {
                view.checkCapacity(candidate.service(), candidate.id());
                StoredInstance next = StoredInstance.of(candidate, stored == null ? 1 : stored.revision() + 1,
                        nextIndex(candidate.service()));
                boolean written = stored == null
                        ? timed(() -> cache.putIfAbsent(key, next)) == null
                        : timed(() -> cache.replace(key, stored, next));
                if (written) {
                    return new Registration(candidate, true, view.index(candidate.service()));
                }
            } else {
                Instance updated = current.toInstance().reregister(candidate, now);
                if (replace(key, current, updated)) {
                    return new Registration(updated, false, view.index(candidate.service()));
                }
            }
            attempts.failedOrGiveUp(stored);
        }
    }

    /**
     * Renews through the {@link RenewalBatcher}: concurrent heartbeats are replicated together, each one
     * acknowledged only when every member holds it. An instance this member does not know is answered at
     * once, without a round trip.
     */
    @Override
    public Instance heartbeat(InstanceKey key, Instant now, OptionalInt inflight) {
        String k = StoredInstance.key(key.service(), key.id());
        // this member's view mirrors its copy (every write reaches it before it is acknowledged): a map
        // lookup instead of a read through the cache's interceptors; the renewal itself decides on the owners
        if (view.isLive() ? view.get(key.service(), key.id()).isEmpty() : live(cache.get(k)) == null) {
            throw new InstanceNotFoundException(key);
        }
        if (cache.getAdvancedCache().getAvailability() != AvailabilityMode.AVAILABLE) {
            throw unavailable(null); // a renewal would wait for the majority until its timeout
        }
        StoredInstance renewed;
        try {
            renewed = renewals.renew(k, Renewal.of(now, inflight, nextIndex(key.service())));
        } catch (RuntimeException e) {
            throw translated(e);
        }
        if (renewed == null) {
            throw new InstanceNotFoundException(key);
        }
        return renewed.toInstance();
    }

    @Override
    public Optional<Instance> deregister(InstanceKey key) {
        String k = StoredInstance.key(key.service(), key.id());
        Attempts attempts = new Attempts(k, "deregistration");
        while (true) {
            StoredInstance stored = attempts.read();
            StoredInstance current = live(stored);
            if (current == null) {
                return Optional.empty();
            }
            if (bury(k, current, "DEREGISTERED")) {
                return Optional.of(current.toInstance());
            }
            attempts.failedOrGiveUp(stored);
        }
    }

    @Override
    public Optional<Instance> update(InstanceKey key, UnaryOperator<Instance> change) {
        String k = StoredInstance.key(key.service(), key.id());
        Attempts attempts = new Attempts(k, "update");
        while (true) {
            StoredInstance stored = attempts.read();
            StoredInstance current = live(stored);
            if (current == null) {
                return Optional.empty();
            }
            Instance before = current.toInstance();
            Instance next = change.apply(before);
            if (next == null || !next.key().equals(key)) {
                throw new IllegalArgumentException("an update must keep the instance's service and id");
            }
            if (next.equals(before)) {
                return Optional.of(before);
            }
            if (replace(k, current, next)) {
                return Optional.of(next);
            }
            attempts.failedOrGiveUp(stored);
        }
    }

    @Override
    public Expiry expire(InstanceKey key, Instant now, Function<Instance, ExpiryDecision> decide) {
        String k = StoredInstance.key(key.service(), key.id());
        Attempts attempts = new Attempts(k, "expiry");
        while (true) {
            StoredInstance stored = attempts.read();
            StoredInstance current = live(stored);
            if (current == null) {
                return new Expiry(ExpiryDecision.KEEP, Optional.empty());
            }
            Instance instance = current.toInstance();
            switch (decide.apply(instance)) {
                case EVICT -> {
                    if (bury(k, current, "EVICTED")) {
                        return new Expiry(ExpiryDecision.EVICT, Optional.empty());
                    }
                }
                case MARK_STALE -> {
                    if (instance.state().stale()) {
                        return new Expiry(ExpiryDecision.KEEP, Optional.of(instance));
                    }
                    Instance next = instance.withState(instance.state().withStale(true, now));
                    if (replace(k, current, next)) {
                        return new Expiry(ExpiryDecision.MARK_STALE, Optional.of(next));
                    }
                }
                default -> {
                    return new Expiry(ExpiryDecision.KEEP, Optional.of(instance));
                }
            }
            if (!attempts.failed(stored)) {
                return new Expiry(ExpiryDecision.KEEP, Optional.of(instance));
            }
        }
    }

    @Override
    public Optional<Instance> get(InstanceKey key) {
        return view.get(key.service(), key.id());
    }

    @Override
    public ServiceSnapshot service(ServiceName name) {
        return view.service(name);
    }

    @Override
    public List<ServiceSnapshot> services() {
        return view.services();
    }

    @Override
    public long index(ServiceName name) {
        return view.index(name);
    }

    @Override
    public Stream<Instance> instances() {
        return view.instances();
    }

    @Override
    public int size() {
        return view.size();
    }

    /**
     * The index a change of {@code service} made now gets: one above the index this member sees, and at least
     * the current time in microseconds (so a change made after a restart of the whole cluster, or on a member
     * that joined after old removals were forgotten, still gets an index above any given out before).
     */
    private long nextIndex(ServiceName service) {
        Instant now = clock.instant();
        long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
        return Math.max(view.index(service) + 1, micros);
    }

    private boolean replace(String key, StoredInstance current, Instance next) {
        Instance before = current.toInstance();
        long index = before.sameAs(next) ? current.index() : nextIndex(next.service());
        StoredInstance value = StoredInstance.of(next, current.revision() + 1, index);
        return own(value, () -> cache.replace(key, current, value));
    }

    private boolean bury(String key, StoredInstance current, String why) {
        StoredInstance tombstone = current.tombstone(why, nextIndex(ServiceName.of(current.service())));
        return own(tombstone, () -> cache.replace(key, current, tombstone, tombstoneMillis, TimeUnit.MILLISECONDS));
    }

    /** A write of {@code value} made by this member: the local view counts its change as made here. */
    private boolean own(StoredInstance value, Supplier<Boolean> write) {
        view.writing(value);
        try {
            return timed(write);
        } finally {
            view.written(value);
        }
    }

    private <T> T timed(Supplier<T> write) {
        long start = System.nanoTime();
        try {
            return write.get();
        } catch (RuntimeException e) {
            throw translated(e);
        } finally {
            replication.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** A write refused by partition handling becomes a {@link RegistryUnavailableException}; others as they are. */
    static RuntimeException translated(RuntimeException e) {
        return CutOff.translated(e, "writes");
    }

    private static RegistryUnavailableException unavailable(Throwable cause) {
        return CutOff.unavailable("writes", cause);
    }

    private static StoredInstance live(StoredInstance stored) {
        return stored == null || stored.isTombstone() ? null : stored;
    }

    /** The attempts of one compare-and-set loop on one key. */
    private final class Attempts {

        private final String key;
        private final String what;
        private int failures;
        private StoredInstance failedAgainst;

        Attempts(String key, String what) {
            this.key = key;
            this.what = what;
        }

        /**
         * The value to decide on: this member's copy, or, when that copy is the value the last attempt
         * failed against, the primary owner's.
         */
        StoredInstance read() {
            StoredInstance local;
            try {
                local = cache.get(key);
            } catch (RuntimeException e) {
                throw translated(e);
            }
            if (failures == 0 || !Objects.equals(local, failedAgainst)) {
                return local;
            }
            try {
                return owners.apply(key);
            } catch (RuntimeException e) {
                throw translated(e);
            }
        }

        /** Counts a failed attempt; false (after a WARN) when it was the last one allowed. */
        boolean failed(StoredInstance against) {
            failures++;
            failedAgainst = against;
            if (failures >= MAX_ATTEMPTS) {
                log.warn("Gave up the {} of {} after {} conflicting compare-and-set attempts", what, key, failures);
                return false;
            }
            casRetries.increment();
            return true;
        }

        void failedOrGiveUp(StoredInstance against) {
            if (!failed(against)) {
                throw new RegistryUnavailableException("The " + what + " kept conflicting with concurrent changes "
                        + "of the same instance and was not applied; retry.");
            }
        }
    }
}
