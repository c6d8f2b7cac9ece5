package io.beacon.xds;

import java.util.Arrays;
import java.util.Optional;

/**
 * The v3 resource types Beacon serves, in the order a change is pushed (make before break: clusters before
 * their endpoints, listeners before their routes), with the short name used as the metric tag.
 */
enum ResourceType {

    CLUSTER("type.googleapis.com/envoy.config.cluster.v3.Cluster", "cluster"),
    ENDPOINT("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", "endpoint"),
    LISTENER("type.googleapis.com/envoy.config.listener.v3.Listener", "listener"),
    ROUTE("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", "route");

    private final String typeUrl;
    private final String tag;

    ResourceType(String typeUrl, String tag) {
        this.typeUrl = typeUrl;
        this.tag = tag;
    }

    String typeUrl() {
        return typeUrl;
    }

    String tag() {
        return tag;
    }

    /** True for the types a client may subscribe to as a whole (wildcard): listeners and clusters. */
    boolean wildcardable() {
        return this == LISTENER || this == CLUSTER;
    }

    static Optional<ResourceType> of(String typeUrl) {
        return Arrays.stream(values()).filter(t -> t.typeUrl.equals(typeUrl)).findFirst();
    }
}
