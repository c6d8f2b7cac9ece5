package io.beacon.bench;

import io.beacon.discovery.DiscoveryController;
import io.beacon.balance.BalanceProperties;
import io.beacon.balance.DiscoverOneController;
import io.beacon.balance.LoadBalancer;
import io.beacon.policy.PolicyStore;
import io.beacon.registry.InMemoryRegistry;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceState;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Lease;
import io.beacon.registry.ServiceName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * The handler work of {@code GET /discover} and {@code GET /discover/one} on a 10-instance service,
 * without the servlet container: parse the query, read the registry, (pick,) build the body and write
 * it as JSON. Shows what the pick adds to a request.
 *
 * <pre>
 * java -jar target/benchmarks.jar DiscoverEndpointBenchmark -wi 2 -i 3 -f 1 -r 2s -w 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DiscoverEndpointBenchmark {

    private DiscoveryController discover;
    private DiscoverOneController one;
    private MultiValueMap<String, String> params;
    private final JsonMapper json = JsonMapper.builder().build();

    @Setup
    public void setUp() {
        InMemoryRegistry registry = new InMemoryRegistry(event -> { });
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        for (int i = 0; i < 10; i++) {
            registry.register(new Instance(ServiceName.of("orders"), "10.0.0." + i + ":8080", "10.0.0." + i, 8080,
                    Map.of(), List.of(), "z" + (i % 2), null, i + 1,
                    Lease.start(now, Duration.ofSeconds(30), Duration.ofSeconds(90)),
                    InstanceState.initial(InstanceStatus.UP, now), 0, null, Map.of(), now), now);
        }
        discover = new DiscoveryController(registry);
        one = new DiscoverOneController(registry, new LoadBalancer(new PolicyStore(event -> { }), registry,
                new BalanceProperties("round_robin", 160, 256)));
        params = new LinkedMultiValueMap<>();
        params.add("name", "orders");
    }

    @Benchmark
    public byte[] discover() {
        return json.writeValueAsBytes(discover.discover(params).getBody());
    }

    @Benchmark
    public byte[] discoverOne() {
        return json.writeValueAsBytes(one.one(params).getBody());
    }
}
