package io.beacon.balance;

import io.beacon.registry.Instance;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Power of two choices over the in-flight counts instances report with their heartbeats: draw two
 * distinct members at random and take the one with fewer in-flight requests (the first drawn on a tie).
 * The least loaded instance wins every draw it is part of and the most loaded never wins one, while
 * concurrent pickers reading the same counts still spread instead of all piling onto one instance.
 */
final class LeastConnectionsBalancer implements Balancer {

    private final Supplier<RandomGenerator> random;

    LeastConnectionsBalancer(Supplier<RandomGenerator> random) {
        this.random = random;
    }

    @Override
    public Instance pick(Pool pool, String key) {
        int n = pool.size();
        if (n == 1) {
            return pool.get(0);
        }
        RandomGenerator rnd = random.get();
        int a = rnd.nextInt(n);
        int b = rnd.nextInt(n - 1);
        if (b >= a) {
            b++;
        }
        Instance first = pool.get(a);
        Instance second = pool.get(b);
        return second.inflight() < first.inflight() ? second : first;
    }
}
