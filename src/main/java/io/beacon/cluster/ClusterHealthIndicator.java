package io.beacon.cluster;

import io.beacon.role.NodeRole;
import java.util.List;
import org.infinispan.Cache;
import org.infinispan.lifecycle.ComponentStatus;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.Address;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health {@code cluster}: UP once the replicated cache runs with the full state and this member's view
 * is loaded; details list the members, the coordinator, this member and the member holding the expiry
 * role ({@code expiryHolder}, see {@link NodeRole}). Add it to the readiness group
 * ({@code management.endpoint.health.group.readiness.include=readinessState,cluster}) so a restarted
 * member takes traffic only once it holds the full state.
 */
class ClusterHealthIndicator implements HealthIndicator {

    private final EmbeddedCacheManager manager;
    private final LocalView view;
    private final Cache<String, StoredInstance> cache;
    private final NodeRole role;

    ClusterHealthIndicator(EmbeddedCacheManager manager, LocalView view, Cache<String, StoredInstance> cache,
            NodeRole role) {
        this.manager = manager;
        this.role = role;
        this.view = view;
        this.cache = cache;
    }

    @Override
    public Health health() {
        List<Address> members = manager.getMembers();
        boolean running = cache.getStatus() == ComponentStatus.RUNNING;
        boolean hasState = running && view.isLive();
        Address coordinator = manager.getCoordinator();
        return (hasState ? Health.up() : Health.outOfService())
                .withDetail("member", String.valueOf(manager.getAddress()))
                .withDetail("members", members == null ? List.of() : members.stream().map(String::valueOf).toList())
                .withDetail("size", members == null ? 0 : members.size())
                .withDetail("coordinator", String.valueOf(coordinator))
                .withDetail("isCoordinator", manager.isCoordinator())
                .withDetail("expiryHolder", role.holder())
                .withDetail("holdsExpiry", role.holdsExpiry())
                .withDetail("hasState", hasState)
                .withDetail("instances", view.size())
                .build();
    }
}
