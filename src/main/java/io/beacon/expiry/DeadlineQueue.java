package io.beacon.expiry;

import io.beacon.registry.InstanceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Instances bucketed by the millisecond at which their lease must next be looked at (a hashed timing
 * wheel with one-millisecond slots). A renewal moves the instance to its new slot, so a sweep only ever
 * meets instances whose deadline has really come: its work follows the leases that lapse, not the number
 * of healthy instances.
 *
 * <p>Slots are created, filled, emptied and removed inside {@link ConcurrentHashMap#compute}, which is
 * atomic with {@link ConcurrentHashMap#remove}: an instance is never added to a slot a sweep has already
 * taken. Every slot at or before "now" is taken by a sweep, so a deadline scheduled in the past is simply
 * seen by the next sweep.
 */
final class DeadlineQueue {

    private final ConcurrentHashMap<Long, Set<InstanceKey>> slots = new ConcurrentHashMap<>();

    void schedule(InstanceKey key, Instant at) {
        slots.compute(at.toEpochMilli(), (slot, keys) -> {
            Set<InstanceKey> set = keys != null ? keys : ConcurrentHashMap.newKeySet();
            set.add(key);
            return set;
        });
    }

    /** Forgets the instance's entry at {@code at}, if it is there. */
    void cancel(InstanceKey key, Instant at) {
        slots.computeIfPresent(at.toEpochMilli(), (slot, keys) -> {
            keys.remove(key);
            return keys.isEmpty() ? null : keys;
        });
    }

    /** Moves the instance from its entry at {@code from} to {@code to}. */
    void move(InstanceKey key, Instant from, Instant to) {
        if (from.toEpochMilli() == to.toEpochMilli()) {
            return;
        }
        cancel(key, from);
        schedule(key, to);
    }

    /** Removes and returns every instance whose deadline is at or before {@code now}. */
    List<InstanceKey> pollDue(Instant now) {
        long limit = now.toEpochMilli();
        List<InstanceKey> due = new ArrayList<>();
        for (Long slot : slots.keySet()) {
            if (slot <= limit) {
                Set<InstanceKey> keys = slots.remove(slot);
                if (keys != null) {
                    due.addAll(keys);
                }
            }
        }
        return due;
    }

    int size() {
        int total = 0;
        for (Set<InstanceKey> keys : slots.values()) {
            total += keys.size();
        }
        return total;
    }
}
