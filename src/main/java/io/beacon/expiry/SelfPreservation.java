package io.beacon.expiry;

import io.beacon.expiry.EvictionGuard;
import io.beacon.registry.Registry;
import io.beacon.role.NodeRole;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Self-preservation: when, at one sweep, more than {@code thresholdPercent} of all registered instances
 * have a lapsed lease (already STALE, or turning STALE in this sweep), Beacon assumes the problem is its
 * own network rather than that many instances dying at once. It then stops evicting (STALE marking still
 * happens, so discovery hides those instances) until the share drops back to the threshold or below,
 * which happens by itself as heartbeats come back.
 *
 * <p>It never applies with fewer than {@code minInstances} registered instances (a small registry losing
 * half its instances is plausible), and not at all with {@code beacon.self-preservation.enabled=false}.
 * It is visible as the gauge {@code beacon_self_preservation} (1 while active), the {@code selfPreservation}
 * health component (always UP, with the numbers that triggered it) and one WARN log line on entry.
 *
 * <p>In a cluster it is decided once, by the member holding the {@link NodeRole} (only that member's
 * sweeper evicts); on the other members it is inactive and its health component names the holder. A member
 * that loses the role forgets its mode; the new holder decides afresh at its first sweep.
 *
 * <p>Cost: computing the share reads every instance, so it is done only on sweeps that would evict or
 * while the mode is active.
 */
class SelfPreservation implements EvictionGuard, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(SelfPreservation.class);

    private final Registry registry;
    private final SelfPreservationProperties properties;
    private final NodeRole role;
    private volatile Status status = Status.INACTIVE;

    /** The last evaluation that changed the mode. */
    record Status(boolean active, long lapsed, long total, Instant since) {
        static final Status INACTIVE = new Status(false, 0, 0, null);
    }

    public SelfPreservation(Registry registry, SelfPreservationProperties properties, MeterRegistry meters) {
        this(registry, properties, meters, NodeRole.SINGLE_NODE);
    }

    public SelfPreservation(Registry registry, SelfPreservationProperties properties, MeterRegistry meters,
            NodeRole role) {
        this.registry = registry;
        this.properties = properties;
        this.role = role;
        role.addListener((holds, holder) -> {
            if (!holds) {
                synchronized (this) {
                    status = Status.INACTIVE;
                }
            }
        });
        Gauge.builder("beacon.self.preservation", this, s -> s.isActive() ? 1 : 0)
                .description("1 while self-preservation holds back evictions").register(meters);
    }

    public boolean isActive() {
        return status.active();
    }

    @Override
    public synchronized boolean holdEvictions(int markingStale, int evicting, Instant now) {
        if (!properties.enabled() || !role.holdsExpiry()) {
            if (status.active()) {
                status = Status.INACTIVE;
            }
            return false;
        }
        if (evicting == 0 && !status.active()) {
            return false;
        }
        long total = registry.size();
        long stale = registry.instances().filter(i -> i.state().stale()).count();
        long lapsed = Math.min(total, stale + markingStale);
        boolean over = total >= properties.minInstances()
                && lapsed * 100 > (long) properties.thresholdPercent() * total;
        if (over && !status.active()) {
            status = new Status(true, lapsed, total, now);
            log.warn("Self-preservation ON: {} of {} instances ({}%) missed their heartbeats, more than the "
                    + "{}% threshold, so Beacon assumes its own network is cut off and stops evicting (instances stay "
                    + "STALE, hidden from discovery) until heartbeats recover. To turn this off set "
                    + "beacon.self-preservation.enabled=false; to tune it set beacon.self-preservation.threshold-percent "
                    + "or beacon.self-preservation.min-instances.", lapsed, total, percent(lapsed, total),
                    properties.thresholdPercent());
        } else if (!over && status.active()) {
            log.info("Self-preservation OFF: {} of {} instances have a lapsed lease, at or below the {}% threshold; "
                    + "evictions resume.", lapsed, total, properties.thresholdPercent());
            status = Status.INACTIVE;
        } else if (over) {
            status = new Status(true, lapsed, total, status.since());
        }
        return over;
    }

    @Override
    public Health health() {
        Status s = status;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("active", s.active());
        details.put("enabled", properties.enabled());
        details.put("thresholdPercent", properties.thresholdPercent());
        details.put("minInstances", properties.minInstances());
        details.put("decidedBy", role.holder());
        if (s.active()) {
            details.put("since", s.since().toString());
            details.put("lapsedInstances", s.lapsed());
            details.put("totalInstances", s.total());
            details.put("reason", s.lapsed() + " of " + s.total() + " instances (" + percent(s.lapsed(), s.total())
                    + "%) missed their heartbeats, more than " + properties.thresholdPercent()
                    + "%; evictions are held back until heartbeats recover");
            details.put("turnOff", "beacon.self-preservation.enabled=false");
        }
        return Health.up().withDetails(details).build();
    }

    private static long percent(long part, long total) {
        return total == 0 ? 0 : Math.round(part * 100.0 / total);
    }
}
