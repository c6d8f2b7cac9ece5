package io.beacon.balance;

import io.beacon.registry.Instance;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Uniformly random member; stateless apart from the random source. */
final class RandomBalancer implements Balancer {

    private final Supplier<RandomGenerator> random;

    RandomBalancer(Supplier<RandomGenerator> random) {
        this.random = random;
    }

    @Override
    public Instance pick(Pool pool, String key) {
        return pool.get(random.get().nextInt(pool.size()));
    }
}
