package io.beacon.balance;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Load-balancing settings under {@code beacon.balance.*}.
 *
 * @param defaultStrategy strategy of {@code /discover/one} for services whose policy names none
 * @param virtualNodes points per instance on a consistent-hash ring
 * @param maxSelectionsPerService most balancer states (distinct strategy and filter sets) kept per
 *     service; when exceeded the service's states start afresh
 */
@ConfigurationProperties("beacon.balance")
@Validated
public record BalanceProperties(
        @NotNull @DefaultValue("round_robin") String defaultStrategy,
        @Min(1) @Max(1000) @DefaultValue("160") int virtualNodes,
        @Min(1) @DefaultValue("256") int maxSelectionsPerService) {

    public BalanceProperties {
        if (Strategy.parse(defaultStrategy).isEmpty()) {
            throw new IllegalArgumentException("beacon.balance.default-strategy must be one of " + Strategy.names());
        }
    }

    /** The default strategy, parsed. */
    public Strategy strategy() {
        return Strategy.parse(defaultStrategy).orElseThrow();
    }
}
