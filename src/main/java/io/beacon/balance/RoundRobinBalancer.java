package io.beacon.balance;

import io.beacon.registry.Instance;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Strict rotation: the n-th pick takes member {@code n mod size} of the pool sorted by id. The cursor is
 * one {@link AtomicLong}, so concurrent callers each take a distinct turn (none repeats or skips one);
 * when an instance joins or leaves, the rotation simply continues over the new sorted list.
 */
final class RoundRobinBalancer implements Balancer {

    private final AtomicLong cursor = new AtomicLong();

    @Override
    public Instance pick(Pool pool, String key) {
        long turn = cursor.getAndIncrement();
        return pool.get((int) Math.floorMod(turn, (long) pool.size()));
    }
}
