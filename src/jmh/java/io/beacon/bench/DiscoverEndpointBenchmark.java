package io.beacon.bench;

import io.beacon.BeaconApplication;
import io.beacon.balance.DiscoverOneController;
import io.beacon.discovery.DiscoveryController;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceState;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Lease;
import io.beacon.registry.Registry;
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
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * The handler work of {@code GET /discover} and {@code GET /discover/one} on a 10-instance service,
 * without the servlet container: parse the query, read the registry, (pick,) build the body and write it
 * as JSON. The controllers come from Beacon's own application context (started without a web server), so
 * they are wired as in the server. A plain {@code /discover} is answered from the discovery cache; with a
 * filter ({@code zone}) the answer is built and serialised for each request. Shows what the pick adds.
 *
 * <pre>
 * java -jar target/benchmarks.jar DiscoverEndpointBenchmark -wi 2 -i 3 -f 1 -r 2s -w 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DiscoverEndpointBenchmark {

    private ConfigurableApplicationContext context;
    private DiscoveryController discover;
    private DiscoverOneController one;
    private JsonMapper json;
    private MultiValueMap<String, String> plain;
    private MultiValueMap<String, String> filtered;

    @Setup
    public void setUp() {
        context = new SpringApplicationBuilder(BeaconApplication.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "logging.level.root=warn", "beacon.sweep.interval=1h")
                .run();
        Registry registry = context.getBean(Registry.class);
        Instant now = Instant.now();
        for (int i = 0; i < 10; i++) {
            registry.register(new Instance(ServiceName.of("orders"), "10.0.0." + i + ":8080", "10.0.0." + i, 8080,
                    Map.of(), List.of(), "z" + (i % 2), null, i + 1,
                    Lease.start(now, Duration.ofHours(1), Duration.ofHours(2)),
                    InstanceState.initial(InstanceStatus.UP, now), 0, null, Map.of(), now), now);
        }
        discover = context.getBean(DiscoveryController.class);
        one = context.getBean(DiscoverOneController.class);
        json = context.getBean(JsonMapper.class);
        plain = new LinkedMultiValueMap<>();
        plain.add("name", "orders");
        filtered = new LinkedMultiValueMap<>(plain);
        filtered.add("zone", "z1");
    }

    @TearDown
    public void tearDown() {
        context.close();
    }

    /** A plain {@code /discover}: the cached answer's bytes. */
    @Benchmark
    public byte[] discover() {
        return write(discover.discover(plain).getBody());
    }

    /** {@code /discover} with a filter: built and serialised for each request. */
    @Benchmark
    public byte[] discoverFiltered() {
        return write(discover.discover(filtered).getBody());
    }

    @Benchmark
    public byte[] discoverOne() {
        return write(one.one(plain).getBody());
    }

    /** The body as the message converters write it: cached answers are bytes already. */
    private byte[] write(Object body) {
        return body instanceof byte[] bytes ? bytes : json.writeValueAsBytes(body);
    }
}
