package io.beacon.outlier;

import io.beacon.policy.ServicePolicy;
import java.time.Duration;

/**
 * The outlier thresholds in force for one service: its policy where set, the configured defaults otherwise. Public
 * for the adapters that hand them on (xDS clusters carry them as {@code outlier_detection}).
 */
public record OutlierSettings(int consecutiveFailures, int failureRateThreshold, int minimumCalls, Duration baseEjection,
        Duration maxEjection, int maxEjectionPercent, int minHealthPercent, int halfOpenCalls) {

    public static OutlierSettings resolve(OutlierProperties defaults, ServicePolicy policy) {
        ServicePolicy.OutlierPolicy p = policy == null ? null : policy.outlier();
        if (p == null) {
            return new OutlierSettings(defaults.consecutiveFailures(), defaults.failureRateThreshold(),
                    defaults.minimumCalls(), defaults.baseEjection(), defaults.maxEjection(),
                    defaults.maxEjectionPercent(), defaults.minHealthPercent(), defaults.halfOpenCalls());
        }
        Duration base = p.baseEjectionSeconds() != null ? Duration.ofSeconds(p.baseEjectionSeconds())
                : defaults.baseEjection();
        Duration max = p.maxEjectionSeconds() != null ? Duration.ofSeconds(p.maxEjectionSeconds())
                : defaults.maxEjection();
        return new OutlierSettings(
                or(p.consecutiveFailures(), defaults.consecutiveFailures()),
                or(p.failureRateThreshold(), defaults.failureRateThreshold()),
                or(p.minimumCalls(), defaults.minimumCalls()),
                base, max.compareTo(base) < 0 ? base : max,
                or(p.maxEjectionPercent(), defaults.maxEjectionPercent()),
                or(p.minHealthPercent(), defaults.minHealthPercent()),
                or(p.halfOpenCalls(), defaults.halfOpenCalls()));
    }

    /** Ejection time of the n-th ejection in a row: base * n, capped at the maximum. */
    Duration ejectionTime(int n) {
        Duration d = baseEjection.multipliedBy(Math.max(1, n));
        return d.compareTo(maxEjection) > 0 ? maxEjection : d;
    }

    /** Most instances of a service of {@code total} that may be ejected at once: at least one. */
    int maxEjected(int total) {
        return Math.max(1, total * maxEjectionPercent / 100);
    }

    private static int or(Integer value, int fallback) {
        return value != null ? value : fallback;
    }
}
