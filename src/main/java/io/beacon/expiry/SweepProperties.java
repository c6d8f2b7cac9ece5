package io.beacon.expiry;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The expiry sweeper, {@code beacon.sweep.*}.
 *
 * @param interval how often the expiry sweeper runs
 */
@ConfigurationProperties("beacon.sweep")
@Validated
public record SweepProperties(@NotNull @DefaultValue("1s") Duration interval) {
}
