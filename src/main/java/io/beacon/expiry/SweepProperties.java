package io.beacon.expiry;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The expiry sweeper, {@code beacon.sweep.*}.
 *
 * @param interval how often the expiry sweeper runs
 * @param warmUp time after start during which this node evicts no instance whose last heartbeat came before
 *        it started (one lease, so clients that were told 404 have re-registered), and readiness says the
 *        registry is warming up; {@code 0s} turns it off
 */
@ConfigurationProperties("beacon.sweep")
@Validated
public record SweepProperties(
        @NotNull @DefaultValue("1s") Duration interval,
        @NotNull @DefaultValue("30s") Duration warmUp) {

    @ConstructorBinding
    public SweepProperties {
        if (warmUp.isNegative()) {
            throw new IllegalArgumentException("beacon.sweep.warm-up must not be negative");
        }
    }

    /** The interval with the default warm-up. */
    public SweepProperties(Duration interval) {
        this(interval, Duration.ofSeconds(30));
    }
}
