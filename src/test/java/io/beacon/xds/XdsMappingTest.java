package io.beacon.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.balance.Strategy;
import io.beacon.outlier.OutlierSettings;
import io.beacon.policy.ServicePolicy;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import io.beacon.support.TestInstances;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mapping table of docs/xds.md, rule by rule. */
class XdsMappingTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    final XdsMapping mapping = new XdsMapping("version", "x-hash-key");

    static ResourceName name(String requested) {
        return ResourceName.parse(requested).orElseThrow();
    }

    static Instance instance(String id, int weight, String zone, String version) {
        return TestInstances.builder("orders", id, 8080).weight(weight).zone(zone).version(version).build(NOW);
    }

    static ServiceSnapshot snapshot(Instance... instances) {
        return new ServiceSnapshot(ServiceName.of("orders"), 7, List.of(instances));
    }

    @Test
    void statusBecomesHealthStatus() {
        Instance up = instance("up", 100, null, null);
        Instance drained = up.withState(up.state().withOverride(InstanceStatus.OUT_OF_SERVICE, NOW));
        Instance ejected = up.withState(up.state().withEjected(true, NOW));
        Instance stale = up.withState(up.state().withStale(true, NOW));
        Instance down = up.withState(up.state().withCheckPassing(false, NOW));

        assertThat(XdsMapping.health(up)).isEqualTo(HealthStatus.HEALTHY);
        assertThat(XdsMapping.health(drained)).isEqualTo(HealthStatus.DRAINING);
        assertThat(XdsMapping.health(ejected)).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(XdsMapping.health(stale)).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(XdsMapping.health(down)).isEqualTo(HealthStatus.UNHEALTHY);
    }

    @Test
    void weightedGivesEveryInstanceItsOwnLocalityWeightedByItsWeight() {
        ClusterLoadAssignment cla = mapping.endpoints(name("orders"), snapshot(instance("a", 300, "z1", null),
                instance("b", 100, "z1", null)), Strategy.WEIGHTED);

        assertThat(cla.getEndpointsList()).extracting(l -> l.getLoadBalancingWeight().getValue()).containsExactly(300, 100);
        assertThat(cla.getEndpointsList()).extracting(l -> l.getLbEndpoints(0).getLoadBalancingWeight().getValue())
                .containsExactly(300, 100);
        assertThat(cla.getEndpoints(0).getLocality().getZone()).isEqualTo("z1");
    }

    @Test
    void otherStrategiesGroupByZoneWeightedByHealthyEndpoints() {
        Instance c = instance("c", 100, "z2", null);
        ClusterLoadAssignment cla = mapping.endpoints(name("Orders"), snapshot(instance("a", 100, "z1", null),
                instance("b", 100, "z1", null), c.withState(c.state().withStale(true, NOW))), Strategy.ROUND_ROBIN);

        assertThat(cla.getClusterName()).isEqualTo("Orders");
        assertThat(cla.getEndpointsList()).extracting(l -> l.getLocality().getZone()).containsExactly("z1", "z2");
        assertThat(cla.getEndpointsList()).extracting(l -> l.getLoadBalancingWeight().getValue()).containsExactly(2, 1);
        assertThat(cla.getEndpointsList()).extracting(LocalityLbEndpoints::getLbEndpointsCount).containsExactly(2, 1);
    }

    @Test
    void strategiesBecomePoliciesEveryClientAccepts() {
        assertThat(XdsMapping.lbPolicy(Strategy.ROUND_ROBIN, ClientKind.GRPC)).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
        assertThat(XdsMapping.lbPolicy(Strategy.LEAST_CONNECTIONS, ClientKind.GRPC)).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
        assertThat(XdsMapping.lbPolicy(Strategy.CONSISTENT_HASH, ClientKind.ENVOY)).isEqualTo(Cluster.LbPolicy.RING_HASH);
        assertThat(XdsMapping.lbPolicy(Strategy.RANDOM, ClientKind.GRPC)).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
        assertThat(XdsMapping.lbPolicy(Strategy.RANDOM, ClientKind.ENVOY)).isEqualTo(Cluster.LbPolicy.RANDOM);
    }

    @Test
    void outlierThresholdsBecomeOutlierDetection() {
        OutlierSettings settings = new OutlierSettings(3, 50, 20, Duration.ofSeconds(30), Duration.ofMinutes(5), 50,
                50, 3);
        Cluster cluster = mapping.cluster(name("orders/v2"), Strategy.ROUND_ROBIN, settings, Duration.ofSeconds(1),
                ClientKind.ENVOY);

        assertThat(cluster.getName()).isEqualTo("orders/v2");
        assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
        assertThat(cluster.getOutlierDetection().getConsecutive5Xx().getValue()).isEqualTo(3);
        assertThat(cluster.getOutlierDetection().getBaseEjectionTime().getSeconds()).isEqualTo(30);
        assertThat(cluster.getOutlierDetection().getMaxEjectionPercent().getValue()).isEqualTo(50);
        assertThat(cluster.getOutlierDetection().getInterval().getSeconds()).isEqualTo(1);
    }

    @Test
    void aSplitRoutesTheVersionHeaderFirstThenWeighsTheVersionsThatHaveInstances() {
        ServicePolicy split = new ServicePolicy(null, List.of(new ServicePolicy.VersionWeight("v1", 90),
                new ServicePolicy.VersionWeight("v2", 10), new ServicePolicy.VersionWeight("v3", 5)), null);
        RouteConfiguration route = mapping.route(name("orders"), snapshot(instance("a", 100, null, "v1"),
                instance("b", 100, null, "v2")), split, Strategy.CONSISTENT_HASH);

        List<Route> routes = route.getVirtualHosts(0).getRoutesList();
        assertThat(routes).hasSize(3);
        assertThat(routes.get(1).getMatch().getHeaders(0).getName()).isEqualTo("version");
        assertThat(routes.get(1).getMatch().getHeaders(0).getStringMatch().getExact()).isEqualTo("v2");
        assertThat(routes.get(1).getRoute().getCluster()).isEqualTo("orders/v2");
        assertThat(routes.get(2).getRoute().getWeightedClusters().getClustersList())
                .extracting(c -> c.getName() + "=" + c.getWeight().getValue()).containsExactly("orders/v1=90", "orders/v2=10");
        assertThat(routes.get(2).getRoute().getHashPolicy(0).getHeader().getHeaderName()).isEqualTo("x-hash-key");
    }
}
