package io.beacon.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.beacon.balance.Strategy;
import io.beacon.outlier.OutlierSettings;
import io.beacon.policy.ServicePolicy;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.ServiceSnapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one place registry state becomes Envoy resources (the table in docs/xds.md). Pure: it is given the
 * service's snapshot, policy and outlier thresholds and builds a resource named as the client asked.
 *
 * <ul>
 *   <li>Listener {@code NAME}: an API listener (proxyless gRPC's {@code xds:///NAME}) whose HttpConnectionManager
 *       takes route configuration {@code name} over ADS and ends with the router filter.</li>
 *   <li>RouteConfiguration {@code name}: one virtual host for every domain; with a version split, a route per
 *       split version on the version header, then {@code weighted_clusters} in the split's proportions among the
 *       versions that have instances; otherwise one route to cluster {@code name}. {@code consistent_hash} adds a
 *       hash policy on the hash header.</li>
 *   <li>Cluster {@code name} and {@code name/VERSION}: EDS over ADS; the strategy as lb_policy (round_robin and
 *       weighted ROUND_ROBIN, least_connections LEAST_REQUEST, consistent_hash RING_HASH, random RANDOM for
 *       Envoy and ROUND_ROBIN for gRPC, which rejects RANDOM); outlier thresholds as outlier_detection.</li>
 *   <li>ClusterLoadAssignment: every instance (of the version, for a subset) as an LbEndpoint with its weight;
 *       status as health_status (UP HEALTHY, OUT_OF_SERVICE DRAINING, ejected, DOWN, STALE and STARTING
 *       UNHEALTHY). Localities by zone, weighted by their healthy endpoints; for {@code weighted}, one locality
 *       per instance weighted by the instance's weight, since gRPC's round robin reads only locality weights.</li>
 * </ul>
 */
final class XdsMapping {

    static final String ROUTER_FILTER = "envoy.filters.http.router";

    private static final ConfigSource ADS = ConfigSource.newBuilder()
            .setAds(AggregatedConfigSource.getDefaultInstance()).setResourceApiVersion(ApiVersion.V3).build();

    private final String versionHeader;
    private final String hashHeader;

    XdsMapping(String versionHeader, String hashHeader) {
        this.versionHeader = versionHeader;
        this.hashHeader = hashHeader;
    }

    /** The API listener {@code name.requested()} for the service's route configuration. */
    Listener listener(ResourceName name) {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix(name.service().value())
                .setRds(Rds.newBuilder().setConfigSource(ADS).setRouteConfigName(name.service().value()))
                .addHttpFilters(HttpFilter.newBuilder().setName(ROUTER_FILTER)
                        .setTypedConfig(Any.pack(Router.getDefaultInstance())))
                .build();
        return Listener.newBuilder().setName(name.requested())
                .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm))).build();
    }

    /** The service's routes: version header routes and the weighted split, or all to the service's cluster. */
    RouteConfiguration route(ResourceName name, ServiceSnapshot snapshot, ServicePolicy policy, Strategy strategy) {
        VirtualHost.Builder host = VirtualHost.newBuilder().setName(name.service().value()).addDomains("*");
        List<ServicePolicy.VersionWeight> split = splitPresent(snapshot, policy);
        for (ServicePolicy.VersionWeight vw : split) {
            RouteMatch match = RouteMatch.newBuilder().setPrefix("/").addHeaders(HeaderMatcher.newBuilder()
                    .setName(versionHeader).setStringMatch(StringMatcher.newBuilder().setExact(vw.version()))).build();
            host.addRoutes(Route.newBuilder().setMatch(match)
                    .setRoute(action(strategy).setCluster(ResourceName.cluster(name.service(), vw.version()))));
        }
        RouteAction.Builder fallback = action(strategy);
        List<ServicePolicy.VersionWeight> weighted = split.stream().filter(vw -> vw.weight() > 0).toList();
        if (weighted.isEmpty()) {
            fallback.setCluster(name.service().value());
        } else {
            WeightedCluster.Builder clusters = WeightedCluster.newBuilder();
            for (ServicePolicy.VersionWeight vw : weighted) {
                clusters.addClusters(WeightedCluster.ClusterWeight.newBuilder()
                        .setName(ResourceName.cluster(name.service(), vw.version()))
                        .setWeight(UInt32Value.of(vw.weight())));
            }
            fallback.setWeightedClusters(clusters);
        }
        host.addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/")).setRoute(fallback));
        return RouteConfiguration.newBuilder().setName(name.requested()).addVirtualHosts(host).build();
    }

    /** The split's versions that have at least one instance now (weight 0 ones too: header routing only). */
    static List<ServicePolicy.VersionWeight> splitPresent(ServiceSnapshot snapshot, ServicePolicy policy) {
        if (policy.split() == null || policy.split().isEmpty()) {
            return List.of();
        }
        List<ServicePolicy.VersionWeight> present = new ArrayList<>();
        for (ServicePolicy.VersionWeight vw : policy.split()) {
            if (vw != null && vw.version() != null && vw.weight() != null && vw.weight() >= 0
                    && snapshot.instances().stream().anyMatch(i -> vw.version().equals(i.version()))) {
                present.add(vw);
            }
        }
        return present;
    }

    private RouteAction.Builder action(Strategy strategy) {
        RouteAction.Builder action = RouteAction.newBuilder();
        if (strategy == Strategy.CONSISTENT_HASH) {
            action.addHashPolicy(RouteAction.HashPolicy.newBuilder()
                    .setHeader(RouteAction.HashPolicy.Header.newBuilder().setHeaderName(hashHeader)));
        }
        return action;
    }

    /** An EDS cluster over ADS with the strategy's lb_policy and, when given, the outlier thresholds. */
    Cluster cluster(ResourceName name, Strategy strategy, OutlierSettings outlier,
            java.time.Duration outlierInterval, ClientKind kind) {
        Cluster.Builder cluster = Cluster.newBuilder().setName(name.requested())
                .setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
                .setConnectTimeout(Duration.newBuilder().setSeconds(5))
                .setLbPolicy(lbPolicy(strategy, kind));
        if (outlier != null) {
            cluster.setOutlierDetection(OutlierDetection.newBuilder()
                    .setConsecutive5Xx(UInt32Value.of(outlier.consecutiveFailures()))
                    .setInterval(duration(outlierInterval))
                    .setBaseEjectionTime(duration(outlier.baseEjection()))
                    .setMaxEjectionTime(duration(outlier.maxEjection()))
                    .setMaxEjectionPercent(UInt32Value.of(outlier.maxEjectionPercent())));
        }
        return cluster.build();
    }

    static Cluster.LbPolicy lbPolicy(Strategy strategy, ClientKind kind) {
        return switch (strategy) {
            case ROUND_ROBIN, WEIGHTED -> Cluster.LbPolicy.ROUND_ROBIN;
            case LEAST_CONNECTIONS -> Cluster.LbPolicy.LEAST_REQUEST;
            case CONSISTENT_HASH -> Cluster.LbPolicy.RING_HASH;
            case RANDOM -> kind == ClientKind.GRPC ? Cluster.LbPolicy.ROUND_ROBIN : Cluster.LbPolicy.RANDOM;
        };
    }

    /** The endpoints of the service, or of its version subset, with health and weights (see the type's doc). */
    ClusterLoadAssignment endpoints(ResourceName name, ServiceSnapshot snapshot, Strategy strategy) {
        ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(name.requested());
        List<Instance> members = snapshot.instances().stream()
                .filter(i -> name.version() == null || name.version().equals(i.version()))
                .sorted(java.util.Comparator.comparing(Instance::id)).toList();
        if (strategy == Strategy.WEIGHTED) {
            for (Instance i : members) {
                cla.addEndpoints(LocalityLbEndpoints.newBuilder()
                        .setLocality(Locality.newBuilder().setZone(zone(i)).setSubZone(i.id()))
                        .setLoadBalancingWeight(UInt32Value.of(i.weight()))
                        .addLbEndpoints(endpoint(i)));
            }
            return cla.build();
        }
        Map<String, List<Instance>> byZone = new TreeMap<>();
        for (Instance i : members) {
            byZone.computeIfAbsent(zone(i), z -> new ArrayList<>()).add(i);
        }
        byZone.forEach((zone, instances) -> {
            long healthy = instances.stream().filter(i -> health(i) == HealthStatus.HEALTHY).count();
            LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder()
                    .setLocality(Locality.newBuilder().setZone(zone))
                    .setLoadBalancingWeight(UInt32Value.of((int) Math.max(1, healthy)));
            instances.forEach(i -> locality.addLbEndpoints(endpoint(i)));
            cla.addEndpoints(locality);
        });
        return cla.build();
    }

    private static LbEndpoint endpoint(Instance i) {
        return LbEndpoint.newBuilder()
                .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
                        SocketAddress.newBuilder().setAddress(i.address()).setPortValue(i.port()))))
                .setHealthStatus(health(i))
                .setLoadBalancingWeight(UInt32Value.of(Math.max(1, i.weight())))
                .build();
    }

    /** UP and not ejected: HEALTHY; drained: DRAINING; anything else (ejected, DOWN, STALE, STARTING): UNHEALTHY. */
    static HealthStatus health(Instance i) {
        if (i.status() == InstanceStatus.OUT_OF_SERVICE) {
            return HealthStatus.DRAINING;
        }
        return i.state().isDiscoverable() ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY;
    }

    private static String zone(Instance i) {
        return i.zone() == null ? "" : i.zone();
    }

    private static Duration duration(java.time.Duration d) {
        return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }
}
