package io.beacon.bench;

import io.beacon.balance.Balancer;
import io.beacon.balance.Pool;
import io.beacon.balance.Strategy;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceState;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Lease;
import io.beacon.registry.ServiceName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Picks per second of each load-balancing strategy on a 100-instance service (weights 1..100, in-flight
 * counts 0..49), on one thread and on two threads sharing one balancer, as concurrent requests do.
 *
 * <pre>
 * ./mvnw -B -Pjmh -DskipTests package
 * java -jar target/benchmarks.jar BalancerBenchmark -wi 2 -i 3 -f 1 -r 2s -w 2s
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BalancerBenchmark {

    /** One balancer and its pool, shared by every benchmark thread. */
    @State(Scope.Benchmark)
    public static class Service {

        @Param({"round_robin", "random", "weighted", "least_connections", "consistent_hash"})
        public String strategy;

        @Param("100")
        public int instances;

        Balancer balancer;
        Pool pool;

        @Setup
        public void setUp() {
            Instant now = Instant.parse("2030-01-01T00:00:00Z");
            List<Instance> members = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                members.add(new Instance(ServiceName.of("bench"), String.format("10.0.%d.%d:8080", i / 250, i % 250),
                        "10.0.0." + (i % 250), 8080, Map.of(), List.of(), "z" + (i % 3), "v1", 1 + i % 100,
                        Lease.start(now, Duration.ofSeconds(30), Duration.ofSeconds(90)),
                        InstanceState.initial(InstanceStatus.UP, now), i % 50, null, Map.of(), now));
            }
            members.sort((a, b) -> a.id().compareTo(b.id()));
            pool = new Pool(1, List.copyOf(members));
            balancer = Strategy.parse(strategy).orElseThrow().newBalancer(ThreadLocalRandom::current, 160);
        }
    }

    /** Per-thread hash keys (user ids), cycled so consistent hashing sees many distinct keys. */
    @State(Scope.Thread)
    public static class Keys {
        final String[] keys = new String[1024];
        int next;

        @Setup
        public void setUp() {
            for (int i = 0; i < keys.length; i++) {
                keys[i] = "user-" + ThreadLocalRandom.current().nextInt(1_000_000);
            }
        }

        String next() {
            next = (next + 1) & (keys.length - 1);
            return keys[next];
        }
    }

    @Benchmark
    @Threads(1)
    public Instance pickOneThread(Service service, Keys keys) {
        return service.balancer.pick(service.pool, keys.next());
    }

    @Benchmark
    @Threads(2)
    public Instance pickTwoThreads(Service service, Keys keys) {
        return service.balancer.pick(service.pool, keys.next());
    }
}
