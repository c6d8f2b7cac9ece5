package io.beacon.registration;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Lease settings under {@code beacon.lease.*}: how long an instance lives without a heartbeat.
 *
 * @param duration how long an instance stays UP without a heartbeat before it turns STALE
 * @param evictAfter time without a heartbeat after which an instance is removed
 * @param minDuration smallest per-instance {@code leaseSeconds} accepted
 * @param maxDuration largest per-instance {@code leaseSeconds} accepted
 */
@ConfigurationProperties("beacon.lease")
@Validated
public record LeaseProperties(
        @NotNull @DefaultValue("30s") Duration duration,
        @NotNull @DefaultValue("90s") Duration evictAfter,
        @NotNull @DefaultValue("5s") Duration minDuration,
        @NotNull @DefaultValue("1h") Duration maxDuration) {

    public LeaseProperties {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("beacon.lease.duration must be positive");
        }
        if (evictAfter.compareTo(duration) < 0) {
            throw new IllegalArgumentException("beacon.lease.evict-after must not be shorter than beacon.lease.duration");
        }
        if (minDuration.compareTo(maxDuration) > 0) {
            throw new IllegalArgumentException("beacon.lease.min-duration must not exceed beacon.lease.max-duration");
        }
    }

    /** Eviction delay for a lease of the given duration, keeping the configured evict/duration ratio. */
    public Duration evictAfterFor(Duration leaseDuration) {
        if (leaseDuration.equals(duration)) {
            return evictAfter;
        }
        double ratio = (double) evictAfter.toMillis() / duration.toMillis();
        return Duration.ofMillis(Math.round(leaseDuration.toMillis() * ratio));
    }
}
