package io.beacon.bench;

import io.beacon.discovery.DiscoveryQuery;
import io.beacon.registry.Instance;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.util.LinkedMultiValueMap;

/**
 * The in-process registry's hot operations at 10k and 1M instances (10 per service), in sample-time
 * mode so the percentiles (p50, p99) are reported: re-registration of an existing instance, heartbeat,
 * discovery (service snapshot + the query's selection, as {@code GET /discover} does) and one expiry
 * sweep in the steady state of healthy instances. Requests rotate over every instance or service.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RegistryBenchmark {

    @Param({"10000", "1000000"})
    int instances;

    private BenchRegistry bench;
    private int nextInstance;
    private int nextService;

    @Setup(Level.Trial)
    public void load() {
        bench = new BenchRegistry(instances);
        bench.load();
    }

    @TearDown(Level.Trial)
    public void close() {
        bench.close();
    }

    private int instance() {
        int k = nextInstance;
        nextInstance = k + 1 == instances ? 0 : k + 1;
        return k;
    }

    /** {@code POST /register} of an instance already registered, with the same description. */
    @Benchmark
    public Registry.Registration register() {
        Instant now = bench.clock.instant();
        return bench.registry.register(bench.instance(instance(), now), now);
    }

    /** {@code PUT /heartbeat} without a body. */
    @Benchmark
    public Instance heartbeat() {
        return bench.registry.heartbeat(bench.key(instance()), bench.clock.instant(), OptionalInt.empty());
    }

    /** {@code GET /discover?name=}: the service's snapshot and the discoverable instances in it. */
    @Benchmark
    public List<Instance> discover() {
        int s = nextService;
        nextService = s + 1 == bench.services() ? 0 : s + 1;
        ServiceName name = bench.service(s);
        DiscoveryQuery query = new DiscoveryQuery(name, List.of(), null, null, Map.of(), Set.of(),
                new LinkedMultiValueMap<>());
        ServiceSnapshot snapshot = bench.registry.service(name);
        return query.select(snapshot);
    }
}
