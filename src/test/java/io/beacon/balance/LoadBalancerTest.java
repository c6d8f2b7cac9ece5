package io.beacon.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.beacon.discovery.DiscoveryQuery;
import io.beacon.policy.PolicyChanged;
import io.beacon.policy.PolicyStore;
import io.beacon.policy.ServicePolicy;
import io.beacon.registry.InMemoryRegistry;
import io.beacon.registry.Instance;
import io.beacon.registry.ServiceName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/** The pick pipeline without Spring: filters, split, zone preference, strategy and bounded state. */
class LoadBalancerTest {

    private static final ServiceName SVC = ServiceName.of("svc");

    private final InMemoryRegistry registry = new InMemoryRegistry(event -> { });
    private final PolicyStore policies = new PolicyStore(event -> { });
    private final SplittableRandom random = new SplittableRandom(5);
    private LoadBalancer balancer = new LoadBalancer(policies, registry,
            new BalanceProperties("round_robin", 160, 256), () -> random);

    private void add(String id, int weight, String version, String zone, List<String> tags) {
        Instance i = TestInstances.instance(id, weight, version, zone, 0);
        registry.register(new Instance(i.service(), i.id(), i.address(), i.port(), i.metadata(), tags, i.zone(),
                i.version(), i.weight(), i.lease(), i.state(), 0, null, Map.of(), i.updatedAt()), TestInstances.NOW);
    }

    private static DiscoveryQuery query(String... keyValues) {
        MultiValueMap<String, String> params = new LinkedMultiValueMap<>();
        params.add("name", "svc");
        for (int i = 0; i < keyValues.length; i += 2) {
            params.add(keyValues[i], keyValues[i + 1]);
        }
        return DiscoveryQuery.parse(params, java.util.Set.of("strategy", "key", "prefer_zone"));
    }

    private String pick(DiscoveryQuery query, Strategy strategy, String preferZone) {
        return balancer.pick(registry.service(SVC), query, strategy, "k", preferZone).orElseThrow().id();
    }

    @Test
    void splitThenWeightedWithin2PercentOver100kPicks() {
        add("a", 1, "v1", null, List.of());
        add("b", 3, "v1", null, List.of());
        add("c", 1, "v2", null, List.of());
        policies.put(SVC, new ServicePolicy("weighted", List.of(new ServicePolicy.VersionWeight("v1", 80),
                new ServicePolicy.VersionWeight("v2", 20)), null));
        Strategy strategy = balancer.strategyFor(SVC, null);
        assertThat(strategy).isEqualTo(Strategy.WEIGHTED);
        Map<String, Integer> counts = new HashMap<>();
        int picks = 100_000;
        for (int i = 0; i < picks; i++) {
            counts.merge(pick(query(), strategy, null), 1, Integer::sum);
        }
        assertThat(counts.get("a") / (double) picks).isCloseTo(0.20, within(0.02));
        assertThat(counts.get("b") / (double) picks).isCloseTo(0.60, within(0.02));
        assertThat(counts.get("c") / (double) picks).isCloseTo(0.20, within(0.02));
    }

    @Test
    void explicitVersionOverridesTheSplit() {
        add("a", 1, "v1", null, List.of());
        add("c", 1, "v2", null, List.of());
        policies.put(SVC, new ServicePolicy(null, List.of(new ServicePolicy.VersionWeight("v1", 100)), null));
        for (int i = 0; i < 10; i++) {
            assertThat(pick(query("version", "v2"), Strategy.RANDOM, null)).isEqualTo("c");
            assertThat(pick(query(), Strategy.RANDOM, null)).isEqualTo("a");
        }
    }

    @Test
    void zonePreferenceFallsBackToAll() {
        add("a", 1, null, "z1", List.of());
        add("b", 1, null, "z2", List.of());
        assertThat(pick(query(), Strategy.ROUND_ROBIN, "z2")).isEqualTo("b");
        assertThat(pick(query(), Strategy.ROUND_ROBIN, "z2")).isEqualTo("b");
        assertThat(List.of(pick(query(), Strategy.ROUND_ROBIN, "z3"), pick(query(), Strategy.ROUND_ROBIN, "z3")))
                .containsExactly("a", "b");
    }

    @Test
    void defaultStrategyComesFromConfigurationWithoutAPolicy() {
        balancer = new LoadBalancer(policies, registry, new BalanceProperties("least_connections", 160, 256),
                () -> random);
        assertThat(balancer.strategyFor(SVC, null)).isEqualTo(Strategy.LEAST_CONNECTIONS);
        assertThat(balancer.strategyFor(SVC, Strategy.RANDOM)).isEqualTo(Strategy.RANDOM);
        assertThatThrownBy(() -> new BalanceProperties("fastest", 160, 256))
                .hasMessageContaining("beacon.balance.default-strategy");
    }

    @Test
    void statePerServiceIsBoundedAndDroppedOnPolicyChange() {
        balancer = new LoadBalancer(policies, registry, new BalanceProperties("round_robin", 160, 3), () -> random);
        for (int i = 0; i < 10; i++) {
            add("i" + i, 1, null, null, List.of("t" + i));
        }
        for (int i = 0; i < 10; i++) {
            pick(query("tag", "t" + i), Strategy.ROUND_ROBIN, null);
            assertThat(balancer.stateCount(SVC)).isBetween(1, 3);
        }
        balancer.onPolicyChanged(new PolicyChanged(SVC, ServicePolicy.NONE));
        assertThat(balancer.stateCount(SVC)).isZero();
    }

    @Test
    void nothingMatchingIsEmpty() {
        add("a", 1, null, "z1", List.of());
        assertThat(balancer.pick(registry.service(SVC), query("zone", "z9"), Strategy.ROUND_ROBIN, null, null))
                .isEmpty();
        assertThat(balancer.stateCount(SVC)).isZero();
    }
}
