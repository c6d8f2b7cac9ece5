package io.beacon.outlier;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Outlier detection (circuit breaking on client reports) defaults, under {@code beacon.outlier.*}. A
 * service's policy ({@code PUT /services/{name}/policy}, {@code outlier} part) overrides any of them.
 *
 * @param enabled accept reports and eject instances
 * @param consecutiveFailures consecutive failed calls that eject an instance
 * @param failureRateThreshold failure rate, in percent, over the last {@code minimumCalls} calls that ejects
 * @param minimumCalls calls needed before the failure rate counts (also the size of the window)
 * @param baseEjection first ejection time; the n-th ejection in a row lasts n times as long
 * @param maxEjection cap of the ejection time
 * @param maxEjectionPercent most instances of a service ejected at once, in percent (one is always ejectable)
 * @param minHealthPercent below this share of non-ejected UP instances, discovery returns the ejected ones
 *     too (panic mode)
 * @param halfOpenCalls reports let through after an ejection before deciding again
 * @param sweepInterval how often ejections that have run their time are ended
 */
@ConfigurationProperties("beacon.outlier")
@Validated
public record OutlierProperties(
        @DefaultValue("true") boolean enabled,
        @Min(1) @Max(1000) @DefaultValue("5") int consecutiveFailures,
        @Min(1) @Max(100) @DefaultValue("50") int failureRateThreshold,
        @Min(1) @Max(10000) @DefaultValue("20") int minimumCalls,
        @NotNull @DefaultValue("30s") Duration baseEjection,
        @NotNull @DefaultValue("5m") Duration maxEjection,
        @Min(0) @Max(100) @DefaultValue("10") int maxEjectionPercent,
        @Min(0) @Max(100) @DefaultValue("50") int minHealthPercent,
        @Min(1) @Max(1000) @DefaultValue("3") int halfOpenCalls,
        @NotNull @DefaultValue("1s") Duration sweepInterval) {

    public OutlierProperties {
        if (maxEjection.compareTo(baseEjection) < 0) {
            throw new IllegalArgumentException("beacon.outlier.max-ejection must not be shorter than beacon.outlier.base-ejection");
        }
    }
}
