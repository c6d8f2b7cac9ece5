package io.beacon.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.Address;

/**
 * Cluster gauges: {@code beacon_cluster_members} (members in this member's view) and
 * {@code beacon_cluster_coordinator} (1 on the coordinator). The replication timer
 * {@code beacon_cluster_replication_seconds} is recorded by {@link ClusteredRegistry}.
 */
class ClusterMetrics implements MeterBinder {

    private final EmbeddedCacheManager manager;

    ClusterMetrics(EmbeddedCacheManager manager) {
        this.manager = manager;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("beacon.cluster.members", manager, m -> {
            List<Address> members = m.getMembers();
            return members == null ? 0 : members.size();
        }).description("Members of the Beacon cluster, as this member sees them").register(registry);
        Gauge.builder("beacon.cluster.coordinator", manager, m -> m.isCoordinator() ? 1 : 0)
                .description("1 when this member is the coordinator (it applies lease expiry)").register(registry);
    }
}
