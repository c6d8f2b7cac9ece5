package io.beacon.balance;

import io.beacon.registry.Instance;
import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Smooth weighted round robin, as nginx does it: every pick adds each member's weight to its current
 * value, takes the member with the highest current value and subtracts the total weight from it. Over
 * any window of {@code total} picks each member is taken exactly {@code weight} times, interleaved
 * (weights 5/1/1 give a a b a c a a, not a a a a a b c).
 *
 * <p>The sequence is periodic (period: total weight divided by the weights' gcd), so when the period
 * is at most {@link #MAX_SCHEDULE} it is computed once per member set and picks walk it with one
 * atomic cursor: lock-free, and concurrent callers share the turns exactly as in round robin. A longer
 * period falls back to running the algorithm under a lock. Either way the sequence restarts when the
 * members or their weights change, as nginx does on a reconfiguration.
 */
final class WeightedBalancer implements Balancer {

    /** Longest precomputed period (entries of 4 bytes). */
    static final int MAX_SCHEDULE = 1 << 16;

    private final AtomicLong cursor = new AtomicLong();
    private volatile Plan plan;

    /** The members a plan was built for, and either a schedule of member positions or live state. */
    private record Plan(Pool members, int[] schedule, int[] current, int total) {
    }

    @Override
    public Instance pick(Pool pool, String key) {
        Plan p = plan;
        if (p == null || p.members.generation() != pool.generation() || p.members.size() != pool.size()) {
            p = refresh(pool);
        }
        if (p.schedule != null) {
            int[] schedule = p.schedule;
            return pool.get(schedule[(int) Math.floorMod(cursor.getAndIncrement(), (long) schedule.length)]);
        }
        synchronized (p) {
            return pool.get(next(pool, p.current, p.total));
        }
    }

    private synchronized Plan refresh(Pool pool) {
        Plan p = plan;
        if (p != null && p.members.generation() == pool.generation() && p.members.size() == pool.size()) {
            return p;
        }
        if (p != null && p.members.sameMembers(pool.members())) {
            p = new Plan(pool, p.schedule, p.current, p.total);
        } else {
            p = build(pool);
            cursor.set(0);
        }
        plan = p;
        return p;
    }

    private static Plan build(Pool pool) {
        int total = 0;
        int gcd = 0;
        for (Instance i : pool.members()) {
            total += i.weight();
            gcd = BigInteger.valueOf(gcd).gcd(BigInteger.valueOf(i.weight())).intValue();
        }
        int period = total / gcd;
        int[] current = new int[pool.size()];
        if (period > MAX_SCHEDULE) {
            return new Plan(pool, null, current, total);
        }
        int[] schedule = new int[period];
        for (int s = 0; s < period; s++) {
            schedule[s] = next(pool, current, total);
        }
        return new Plan(pool, schedule, null, total);
    }

    /** One step of the algorithm on {@code current}; returns the chosen member's position. */
    private static int next(Pool pool, int[] current, int total) {
        int best = 0;
        int bestValue = Integer.MIN_VALUE;
        for (int i = 0; i < current.length; i++) {
            int value = current[i] + pool.get(i).weight();
            current[i] = value;
            if (value > bestValue) {
                bestValue = value;
                best = i;
            }
        }
        current[best] -= total;
        return best;
    }
}
