package io.beacon.cluster;

import io.beacon.registry.Instance;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import org.infinispan.functional.EntryView.ReadWriteEntryView;
import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;

/**
 * One heartbeat as it travels in a replicated batch: when it arrived and the in-flight count it reported
 * ({@code -1} when none). {@link Apply} is the function every owner of the key runs on the entry, under
 * the key's lock: it renews a live instance and writes it back, or leaves a missing or removed one alone.
 *
 * <p>A renewal carries its target (the lease renewed at {@code at}), not "one more revision": applying it
 * to a value that already holds it changes nothing. A batch that failed half-way (a member died while it
 * was replicated) is retried key by key, and the retry leaves the copies that already applied it as they
 * are while it renews the others, so every copy ends with the same value and revision.
 *
 * @param at epoch nanoseconds of the heartbeat
 * @param inflight reported in-flight requests, or {@code -1}
 * @param index the service index a renewal that brings a STALE instance back gives the service
 */
public record Renewal(@ProtoField(number = 1, defaultValue = "0") long at,
        @ProtoField(number = 2, defaultValue = "-1") int inflight,
        @ProtoField(number = 3, defaultValue = "0") long index) {

    static Renewal of(Instant now, OptionalInt inflight) {
        return of(now, inflight, 0);
    }

    static Renewal of(Instant now, OptionalInt inflight, long index) {
        return new Renewal(StoredInstance.nanos(now), inflight.orElse(-1), index);
    }

    /** Two heartbeats of one key in the same batch: the later time, the latest reported load, the higher index. */
    Renewal merge(Renewal later) {
        return new Renewal(Math.max(at, later.at), later.inflight >= 0 ? later.inflight : inflight,
                Math.max(index, later.index));
    }

    /**
     * The renewed value of {@code stored}, one revision later, or {@code stored} itself when it already
     * holds this renewal (renewed at {@code at} or later, and not STALE): applying a renewal twice is
     * applying it once. The lease's last renewal never moves back.
     */
    StoredInstance applyTo(StoredInstance stored) {
        if (!stored.stale()) {
            // a plain renewal: the lease's last renewal and the reported load, copied field by field (what
            // Instance.renewed does to a live instance, without converting the value twice on every owner)
            return stored.lastRenewedAt() >= at ? stored : stored.renewed(at, inflight);
        }
        Instance renewed = stored.toInstance().renewed(StoredInstance.instant(Math.max(at, stored.lastRenewedAt())),
                inflight < 0 ? OptionalInt.empty() : OptionalInt.of(inflight));
        // a STALE instance coming back is a change watchers see: it takes the renewal's index
        return StoredInstance.of(renewed, stored.revision() + 1, stored.stale() ? index : stored.index());
    }

    /**
     * The renewal function, run by Infinispan on the key's primary owner and again on every backup (so
     * it is deterministic: it depends only on the stored value and the {@link Renewal}). It returns the
     * new value, or a result without one when the instance is gone.
     */
    public static final class Apply
            implements BiFunction<Renewal, ReadWriteEntryView<String, StoredInstance>, Renewed> {

        static final Apply INSTANCE = new Apply();

        @ProtoFactory
        static Apply instance() {
            return INSTANCE;
        }

        @Override
        public Renewed apply(Renewal renewal, ReadWriteEntryView<String, StoredInstance> entry) {
            StoredInstance current = entry.find().orElse(null);
            if (current == null || current.isTombstone()) {
                return new Renewed(entry.key(), null);
            }
            StoredInstance next = renewal.applyTo(current);
            if (next != current) {
                entry.set(next);
            }
            return new Renewed(entry.key(), next);
        }
    }

    /**
     * A read through the key's primary owner (a read-write command that writes nothing): the value the
     * owner holds, which decides every compare-and-set, even when this member's copy differs from it.
     */
    public static final class Peek
            implements java.util.function.Function<ReadWriteEntryView<String, StoredInstance>, StoredInstance> {

        static final Peek INSTANCE = new Peek();

        @ProtoFactory
        static Peek instance() {
            return INSTANCE;
        }

        @Override
        public StoredInstance apply(ReadWriteEntryView<String, StoredInstance> entry) {
            return entry.find().orElse(null);
        }
    }

    /**
     * The outcome of one key's renewal.
     *
     * @param key the cache key
     * @param value the renewed value, or null when there was no live instance to renew
     */
    public record Renewed(@ProtoField(1) String key, @ProtoField(2) StoredInstance value) {
    }
}
