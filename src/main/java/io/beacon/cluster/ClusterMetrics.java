package io.beacon.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.beacon.role.NodeRole;
import java.util.List;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.Address;

/**
 * Cluster gauges: {@code beacon_cluster_members} (members in this member's view) and
 * {@code beacon_cluster_coordinator} (1 on the coordinator) and {@code beacon_cluster_role{role="expiry"}}
 * (1 on the member holding the expiry {@link NodeRole}). The replication timer
 * {@code beacon_cluster_replication_seconds} is recorded by {@link ClusteredRegistry}.
 */
class ClusterMetrics implements MeterBinder {

    private final EmbeddedCacheManager manager;
    private final NodeRole role;

    ClusterMetrics(EmbeddedCacheManager manager, NodeRole role) {
        this.manager = manager;
        this.role = role;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("beacon.cluster.members", manager, m -> {
            List<Address> members = m.getMembers();
            return members == null ? 0 : members.size();
        }).description("Members of the Beacon cluster, as this member sees them").register(registry);
        Gauge.builder("beacon.cluster.coordinator", manager, m -> m.isCoordinator() ? 1 : 0)
                .description("1 when this member is the JGroups coordinator").register(registry);
        Gauge.builder("beacon.cluster.role", role, r -> r.holdsExpiry() ? 1 : 0).tag("role", "expiry")
                .description("1 when this member holds the role (expiry: applies lease expiry and self-preservation)")
                .register(registry);
    }
}
