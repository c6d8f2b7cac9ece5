package io.beacon.balance;

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

/** Builds instances for balancer unit tests. */
final class TestInstances {

    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private TestInstances() {
    }

    static Instance instance(String id, int weight, String version, String zone, int inflight) {
        return new Instance(ServiceName.of("svc"), id, "10.0.0.1", 8080, Map.of(), List.of(), zone, version, weight,
                Lease.start(NOW, Duration.ofSeconds(30), Duration.ofSeconds(90)),
                InstanceState.initial(InstanceStatus.UP, NOW), inflight, null, Map.of(), NOW);
    }

    static Instance instance(String id) {
        return instance(id, 100, null, null, 0);
    }

    /** {@code n} instances with ids i00, i01, ... (sorted by id). */
    static List<Instance> instances(int n) {
        List<Instance> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(instance(String.format("i%03d", i)));
        }
        return list;
    }

    static Pool pool(long generation, List<Instance> members) {
        return new Pool(generation, members);
    }
}
