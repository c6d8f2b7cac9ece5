package io.beacon.balance;

import io.beacon.registry.Instance;

/**
 * Smooth weighted round robin, as nginx does it: every pick adds each member's weight to its current
 * value, takes the member with the highest current value and subtracts the total weight from it. Over
 * any window of {@code total} picks each member is taken exactly {@code weight} times, interleaved
 * (weights 5/1/1 give a a b a c a a, not a a a a a b c).
 *
 * <p>Thread-safe: picks are serialised on this balancer (one selection of one service), and the
 * current values restart from zero when the members or their weights change, as nginx does on a
 * reconfiguration.
 */
final class WeightedBalancer implements Balancer {

    private Pool members;
    private int[] current = new int[0];
    private int total;

    @Override
    public synchronized Instance pick(Pool pool, String key) {
        if (members == null || (members.generation() != pool.generation() && !members.sameMembers(pool.members()))
                || members.size() != pool.size()) {
            reset(pool);
        } else if (members.generation() != pool.generation()) {
            members = pool;
        }
        int n = pool.size();
        int[] cur = current;
        int best = 0;
        int bestValue = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int value = cur[i] + pool.get(i).weight();
            cur[i] = value;
            if (value > bestValue) {
                bestValue = value;
                best = i;
            }
        }
        cur[best] -= total;
        return pool.get(best);
    }

    private void reset(Pool pool) {
        members = pool;
        current = new int[pool.size()];
        int sum = 0;
        for (Instance i : pool.members()) {
            sum += i.weight();
        }
        total = sum;
    }
}
