package io.beacon.balance;

import static io.beacon.balance.TestInstances.pool;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RandomBalancerTest {

    @Test
    void isUniform() {
        RandomGenerator random = new SplittableRandom(3);
        Balancer balancer = new RandomBalancer(() -> random);
        Pool pool = pool(1, TestInstances.instances(4));
        Map<String, Integer> counts = new HashMap<>();
        int picks = 100_000;
        for (int i = 0; i < picks; i++) {
            counts.merge(balancer.pick(pool, null).id(), 1, Integer::sum);
        }
        assertThat(counts).hasSize(4);
        assertThat(counts.values()).allSatisfy(c -> assertThat(c / (double) picks).isBetween(0.23, 0.27));
    }

    @Test
    void sameSeedSameSequence() {
        Pool pool = pool(1, TestInstances.instances(10));
        RandomGenerator r1 = new SplittableRandom(9);
        RandomGenerator r2 = new SplittableRandom(9);
        Balancer a = new RandomBalancer(() -> r1);
        Balancer b = new RandomBalancer(() -> r2);
        for (int i = 0; i < 100; i++) {
            assertThat(a.pick(pool, null).id()).isEqualTo(b.pick(pool, null).id());
        }
    }
}
