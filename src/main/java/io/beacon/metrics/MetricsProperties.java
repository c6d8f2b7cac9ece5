package io.beacon.metrics;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Registry metric settings, {@code beacon.metrics.*}.
 *
 * @param maxServices services that get their own {@code service} label on {@code beacon_instances}: the first
 *        this many seen; every later one is counted in the aggregate series {@code service="~other"}, so a
 *        scrape stays small however many services register
 */
@ConfigurationProperties("beacon.metrics")
@Validated
public record MetricsProperties(@Min(0) @Max(100_000) @DefaultValue("1000") int maxServices) {
}
