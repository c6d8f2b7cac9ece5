package io.beacon.expiry;

import io.beacon.registry.Instance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The first {@code beacon.sweep.warm-up} after this node started. A restarted single node starts empty and
 * fills up as clients, answered 404 on their next heartbeat, register again; a node that received state
 * (a cluster member) may hold leases whose heartbeats went elsewhere while it was down. Until the warm-up
 * ends, the sweeper evicts no instance whose last heartbeat predates the start (it may still mark it STALE),
 * and the {@code warmUp} health component (in the readiness group; always UP, so traffic and
 * re-registrations keep coming) says the registry is warming up.
 */
final class WarmUp implements HealthIndicator {

    private final Clock clock;
    private final Instant startedAt;
    private final Instant endsAt;

    WarmUp(Clock clock, Duration warmUp) {
        this.clock = clock;
        this.startedAt = clock.instant();
        this.endsAt = startedAt.plus(warmUp);
    }

    boolean active(Instant now) {
        return now.isBefore(endsAt);
    }

    /** True when, at {@code now}, the eviction of {@code instance} must wait for the warm-up to end. */
    boolean holds(Instance instance, Instant now) {
        return active(now) && instance.lease().lastRenewedAt().isBefore(startedAt);
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("warmingUp", active(now));
        details.put("startedAt", startedAt.toString());
        details.put("until", endsAt.toString());
        if (active(now)) {
            details.put("detail", "The registry is warming up: this node started at " + startedAt + " and may not "
                    + "yet know every instance (clients re-register when their heartbeat is answered 404); "
                    + "instances renewed before the start are not evicted until " + endsAt);
        }
        return Health.up().withDetails(details).build();
    }
}
