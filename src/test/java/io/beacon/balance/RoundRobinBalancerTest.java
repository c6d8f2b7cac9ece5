package io.beacon.balance;

import static io.beacon.balance.TestInstances.instance;
import static io.beacon.balance.TestInstances.pool;
import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerTest {

    private final Balancer balancer = new RoundRobinBalancer();

    @Test
    void rotatesInIdOrder() {
        Pool pool = pool(1, List.of(instance("a"), instance("b"), instance("c")));
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            picks.add(balancer.pick(pool, null).id());
        }
        assertThat(picks).containsExactly("a", "b", "c", "a", "b", "c", "a");
    }

    @Test
    void keepsRotatingWhenInstancesJoinAndLeave() {
        Pool three = pool(1, List.of(instance("a"), instance("b"), instance("c")));
        assertThat(balancer.pick(three, null).id()).isEqualTo("a");
        assertThat(balancer.pick(three, null).id()).isEqualTo("b");
        Pool four = pool(2, List.of(instance("a"), instance("b"), instance("c"), instance("d")));
        assertThat(List.of(balancer.pick(four, null).id(), balancer.pick(four, null).id(),
                balancer.pick(four, null).id(), balancer.pick(four, null).id()))
                .containsExactly("c", "d", "a", "b");
        Pool two = pool(3, List.of(instance("a"), instance("c")));
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            picks.add(balancer.pick(two, null).id());
        }
        assertThat(picks).containsExactly("a", "c", "a", "c");
    }

    @Test
    void concurrentCallersShareTheTurnsExactly() throws Exception {
        Pool pool = pool(1, TestInstances.instances(7));
        int threads = 4;
        int perThread = 7 * 5_000;
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Instance picked = balancer.pick(pool, null);
                        counts.computeIfAbsent(picked.id(), k -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            executor.shutdownNow();
        }
        // Every turn is taken exactly once: 4 x 35,000 picks over 7 instances is exactly 20,000 each.
        assertThat(counts).hasSize(7);
        assertThat(counts.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(threads * perThread / 7));
    }
}
