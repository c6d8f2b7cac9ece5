package io.beacon.cluster;

import io.beacon.registry.ExpiryDecision;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.infinispan.Cache;

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
 * <p>Capacity limits are checked against this member's view before a new instance is written, so
 * registrations racing on several members may overshoot a limit by the registrations in flight at once.
 *
 * <p>Expiry: which member applies STALE markings and evictions is the {@code NodeRole}'s business
 * (the sweeper asks it); {@link #expire} applies whatever decision it is asked to, on any member.
 */
public class ClusteredRegistry implements Registry {

    private final Cache<String, StoredInstance> cache;
    private final LocalView view;
    private final Timer replication;
    private final long tombstoneMillis;
    private final RenewalBatcher renewals;

    ClusteredRegistry(Cache<String, StoredInstance> cache, LocalView view,
            Timer replication, Duration tombstoneLifespan, RenewalBatcher renewals) {
        this.cache = cache;
        this.renewals = renewals;
        this.view = view;
        this.replication = replication;
        this.tombstoneMillis = tombstoneLifespan.toMillis();
    }

    @Override
    public Registration register(Instance candidate, Instant now) {
        String key = StoredInstance.key(candidate.service(), candidate.id());
        while (true) {
            StoredInstance current = live(cache.get(key));
            if (current == null) {
                view.checkCapacity(candidate.service(), candidate.id());
                StoredInstance previous = cache.get(key);
                StoredInstance next = StoredInstance.of(candidate, previous == null ? 1 : previous.revision() + 1);
                boolean written = previous == null
                        ? timed(() -> cache.putIfAbsent(key, next)) == null
                        : timed(() -> cache.replace(key, previous, next));
                if (written) {
                    return new Registration(candidate, true, view.index(candidate.service()));
                }
                continue;
            }
            Instance updated = current.toInstance().reregister(candidate, now);
            if (replace(key, current, updated)) {
                return new Registration(updated, false, view.index(candidate.service()));
            }
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
        if (live(cache.get(k)) == null) {
            throw new InstanceNotFoundException(key);
        }
        StoredInstance renewed = renewals.renew(k, Renewal.of(now, inflight));
        if (renewed == null) {
            throw new InstanceNotFoundException(key);
        }
        return renewed.toInstance();
    }

    @Override
    public Optional<Instance> deregister(InstanceKey key) {
        String k = StoredInstance.key(key.service(), key.id());
        while (true) {
            StoredInstance current = live(cache.get(k));
            if (current == null) {
                return Optional.empty();
            }
            if (bury(k, current, "DEREGISTERED")) {
                return Optional.of(current.toInstance());
            }
        }
    }

    @Override
    public Optional<Instance> update(InstanceKey key, UnaryOperator<Instance> change) {
        String k = StoredInstance.key(key.service(), key.id());
        while (true) {
            StoredInstance current = live(cache.get(k));
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
        }
    }

    @Override
    public Expiry expire(InstanceKey key, Instant now, Function<Instance, ExpiryDecision> decide) {
        String k = StoredInstance.key(key.service(), key.id());
        while (true) {
            StoredInstance current = live(cache.get(k));
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

    private boolean replace(String key, StoredInstance current, Instance next) {
        StoredInstance value = StoredInstance.of(next, current.revision() + 1);
        return timed(() -> cache.replace(key, current, value));
    }

    private boolean bury(String key, StoredInstance current, String why) {
        StoredInstance tombstone = current.tombstone(why);
        return timed(() -> cache.replace(key, current, tombstone, tombstoneMillis, TimeUnit.MILLISECONDS));
    }

    private <T> T timed(Supplier<T> write) {
        long start = System.nanoTime();
        try {
            return write.get();
        } finally {
            replication.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private static StoredInstance live(StoredInstance stored) {
        return stored == null || stored.isTombstone() ? null : stored;
    }
}
