package io.beacon.expiry;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Self-preservation, under {@code beacon.self-preservation.*}.
 *
 * @param enabled hold back evictions when too many leases lapse at once ({@code false} turns it off)
 * @param thresholdPercent share of all instances, in percent, whose lease may have lapsed before
 *     Beacon assumes it is the one cut off and stops evicting
 * @param minInstances below this many registered instances the guard never applies
 */
@ConfigurationProperties("beacon.self-preservation")
@Validated
record SelfPreservationProperties(
        @DefaultValue("true") boolean enabled,
        @Min(1) @Max(100) @DefaultValue("50") int thresholdPercent,
        @Min(0) @DefaultValue("5") int minInstances) {
}
