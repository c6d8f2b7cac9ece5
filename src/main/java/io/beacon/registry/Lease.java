package io.beacon.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An immutable lease. The instance is current until {@link #expiresAt()} (last renewal + duration),
 * then STALE; it is evicted at {@link #evictAt()} (last renewal + evictAfter).
 *
 * @param registeredAt when the instance first registered (kept across re-registrations)
 * @param lastRenewedAt the last heartbeat or registration
 * @param duration how long the lease stays current without a heartbeat
 * @param evictAfter time without a heartbeat after which the instance is removed
 */
public record Lease(Instant registeredAt, Instant lastRenewedAt, Duration duration, Duration evictAfter) {

    public Lease {
        Objects.requireNonNull(registeredAt, "registeredAt");
        Objects.requireNonNull(lastRenewedAt, "lastRenewedAt");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(evictAfter, "evictAfter");
        if (evictAfter.compareTo(duration) < 0) {
            throw new IllegalArgumentException("evictAfter must not be shorter than duration");
        }
    }

    /** A fresh lease starting now. */
    public static Lease start(Instant now, Duration duration, Duration evictAfter) {
        return new Lease(now, now, duration, evictAfter);
    }

    /** The same lease renewed at {@code now}. */
    public Lease renew(Instant now) {
        return new Lease(registeredAt, now, duration, evictAfter);
    }

    public Instant expiresAt() {
        return lastRenewedAt.plus(duration);
    }

    public Instant evictAt() {
        return lastRenewedAt.plus(evictAfter);
    }

    /** True once the last renewal is older than the duration (strictly: at expiresAt it is still current). */
    public boolean isExpired(Instant now) {
        return now.isAfter(expiresAt());
    }

    /** True once the last renewal is older than evictAfter. */
    public boolean isEvictable(Instant now) {
        return now.isAfter(evictAt());
    }
}
