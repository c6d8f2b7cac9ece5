package io.beacon.expiry;

import io.beacon.registry.ExpiryDecision;
import io.beacon.registry.Instance;
import io.beacon.registry.Lease;
import java.time.Instant;

/**
 * The pure expiry rule. A lease whose last renewal is older than its duration is STALE (not twice the
 * duration); older than its eviction delay, the instance is evicted.
 */
final class ExpiryPolicy {

    private ExpiryPolicy() {
    }

    public static ExpiryDecision decide(Lease lease, boolean stale, Instant now) {
        if (lease.isEvictable(now)) {
            return ExpiryDecision.EVICT;
        }
        if (lease.isExpired(now) && !stale) {
            return ExpiryDecision.MARK_STALE;
        }
        return ExpiryDecision.KEEP;
    }

    public static ExpiryDecision decide(Instance instance, Instant now) {
        return decide(instance.lease(), instance.state().stale(), now);
    }

    /** The first moment at which {@link #decide} may answer something other than KEEP. */
    public static Instant nextDeadline(Instance instance) {
        Lease lease = instance.lease();
        Instant at = instance.state().stale() ? lease.evictAt() : lease.expiresAt();
        return at.plusMillis(1);
    }
}
