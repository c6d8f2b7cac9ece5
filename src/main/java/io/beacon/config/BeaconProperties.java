package io.beacon.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Core registry settings under {@code beacon.*}. Feature packages (watch, health, eureka, ...) keep
 * their own properties records.
 *
 * @param lease lease durations
 * @param sweep expiry sweeper settings
 * @param limits registration size limits
 */
@ConfigurationProperties("beacon")
@Validated
public record BeaconProperties(
        @Valid @NotNull @DefaultValue Lease lease,
        @Valid @NotNull @DefaultValue Sweep sweep,
        @Valid @NotNull @DefaultValue Limits limits) {

    /**
     * @param duration how long an instance stays UP without a heartbeat before it turns STALE
     * @param evictAfter time without a heartbeat after which an instance is removed
     * @param minDuration smallest per-instance {@code leaseSeconds} accepted
     * @param maxDuration largest per-instance {@code leaseSeconds} accepted
     */
    public record Lease(
            @NotNull @DefaultValue("30s") Duration duration,
            @NotNull @DefaultValue("90s") Duration evictAfter,
            @NotNull @DefaultValue("5s") Duration minDuration,
            @NotNull @DefaultValue("1h") Duration maxDuration) {

        public Lease {
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

    /** @param interval how often the expiry sweeper runs */
    public record Sweep(@NotNull @DefaultValue("1s") Duration interval) {
    }

    /**
     * @param maxBodyBytes largest accepted request body, in bytes
     * @param maxMetadataEntries most metadata entries per instance
     * @param maxMetadataKeyLength longest metadata key
     * @param maxMetadataValueLength longest metadata value
     * @param maxTags most tags per instance
     */
    public record Limits(
            @DefaultValue("65536") int maxBodyBytes,
            @DefaultValue("64") int maxMetadataEntries,
            @DefaultValue("128") int maxMetadataKeyLength,
            @DefaultValue("1024") int maxMetadataValueLength,
            @DefaultValue("32") int maxTags) {
    }
}
