package io.beacon.balance;

import static io.beacon.balance.TestInstances.instance;
import static io.beacon.balance.TestInstances.pool;
import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class LeastConnectionsBalancerTest {

    @Test
    void prefersTheLeastLoaded() {
        RandomGenerator random = new SplittableRandom(42);
        Balancer balancer = new LeastConnectionsBalancer(() -> random);
        // inflight 0, 10, 20, 30, 40: with two distinct draws out of 5 the instance ranked r (0-based)
        // wins when drawn with a more loaded one: (4 - r) of the 10 pairs, i.e. 40 %, 30 %, 20 %, 10 %, 0 %.
        List<Instance> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(instance("i" + i, 100, null, null, i * 10));
        }
        Pool pool = pool(1, members);
        int[] counts = new int[5];
        int picks = 100_000;
        for (int i = 0; i < picks; i++) {
            counts[Integer.parseInt(balancer.pick(pool, null).id().substring(1))]++;
        }
        assertThat(counts[0] / (double) picks).isBetween(0.38, 0.42);
        assertThat(counts[1] / (double) picks).isBetween(0.28, 0.32);
        assertThat(counts[2] / (double) picks).isBetween(0.18, 0.22);
        assertThat(counts[3] / (double) picks).isBetween(0.08, 0.12);
        assertThat(counts[4]).isZero();
    }

    @Test
    void anIdleInstanceWinsEveryDrawItIsIn() {
        RandomGenerator random = new SplittableRandom(7);
        Balancer balancer = new LeastConnectionsBalancer(() -> random);
        Pool pool = pool(1, List.of(instance("busy", 100, null, null, 50), instance("idle", 100, null, null, 0)));
        for (int i = 0; i < 1_000; i++) {
            assertThat(balancer.pick(pool, null).id()).isEqualTo("idle");
        }
    }

    @Test
    void concurrentPickersSpreadInsteadOfPilingOntoOneInstance() throws Exception {
        // Ten equally loaded instances, as every picker sees them between two heartbeats.
        Pool pool = pool(1, TestInstances.instances(10));
        AtomicInteger seeds = new AtomicInteger();
        ThreadLocal<RandomGenerator> perThread = ThreadLocal.withInitial(
                () -> new SplittableRandom(1000 + seeds.getAndIncrement()));
        Balancer balancer = new LeastConnectionsBalancer(perThread::get);
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        int threads = 4;
        int perThreadPicks = 25_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThreadPicks; i++) {
                        counts.computeIfAbsent(balancer.pick(pool, null).id(), k -> new AtomicInteger())
                                .incrementAndGet();
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
        assertThat(counts).hasSize(10);
        int total = threads * perThreadPicks;
        assertThat(counts.values()).allSatisfy(c -> assertThat(c.get() / (double) total).isBetween(0.08, 0.12));
    }
}
