package io.beacon.eureka;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Eureka-compatible API under {@code beacon.eureka.*}.
 *
 * @param deltaRetention how long a change stays in the answer to {@code GET /eureka/apps/delta}
 *     (Eureka clients poll every 30 s; Eureka keeps 3 minutes)
 * @param deltaMaxEntries most instances kept in the recent-changes log; the oldest go first
 */
@ConfigurationProperties("beacon.eureka")
@Validated
record EurekaProperties(
        @NotNull @DefaultValue("3m") Duration deltaRetention,
        @Min(1) @DefaultValue("100000") int deltaMaxEntries) {
}
