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
 * @param at epoch nanoseconds of the heartbeat
 * @param inflight reported in-flight requests, or {@code -1}
 */
public record Renewal(@ProtoField(number = 1, defaultValue = "0") long at,
        @ProtoField(number = 2, defaultValue = "-1") int inflight) {

    static Renewal of(Instant now, OptionalInt inflight) {
        return new Renewal(StoredInstance.nanos(now), inflight.orElse(-1));
    }

    /** Two heartbeats of one key in the same batch: the later time, the latest reported load. */
    Renewal merge(Renewal later) {
        return new Renewal(Math.max(at, later.at), later.inflight >= 0 ? later.inflight : inflight);
    }

    /** The renewed value of {@code stored}, one revision later. */
    StoredInstance applyTo(StoredInstance stored) {
        Instance renewed = stored.toInstance().renewed(StoredInstance.instant(at),
                inflight < 0 ? OptionalInt.empty() : OptionalInt.of(inflight));
        return StoredInstance.of(renewed, stored.revision() + 1);
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
            entry.set(next);
            return new Renewed(entry.key(), next);
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
