package io.beacon.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Per-service policy set with {@code PUT /services/{name}/policy}. Every field is optional: an absent
 * one falls back to the configured default of the feature that reads it.
 *
 * @param strategy default load-balancing strategy for {@code /discover/one}: round_robin, random,
 *     weighted, least_connections or consistent_hash
 * @param split version split (canary) for picks, e.g. v1 90 / v2 10
 * @param outlier outlier detection (circuit breaking) thresholds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServicePolicy(String strategy, List<VersionWeight> split, OutlierPolicy outlier) {

    public static final ServicePolicy NONE = new ServicePolicy(null, null, null);

    public ServicePolicy {
        // not List.copyOf: a null entry is reported by the validator as split[i], not failed on here
        split = split == null ? null : Collections.unmodifiableList(new ArrayList<>(split));
    }

    /** One version's share of the picks. @param version a version label @param weight its relative weight */
    public record VersionWeight(String version, Integer weight) {
    }

    /**
     * Outlier detection thresholds (Envoy/Istio style).
     *
     * @param consecutiveFailures consecutive failed calls that eject an instance
     * @param failureRateThreshold failure rate, in percent, over the last {@code minimumCalls} calls that ejects
     * @param minimumCalls calls needed before the failure rate counts
     * @param baseEjectionSeconds first ejection time; it grows with each repeated ejection
     * @param maxEjectionSeconds cap of the ejection time
     * @param maxEjectionPercent most instances of the service ejected at once (one is always ejectable)
     * @param minHealthPercent below this share of healthy instances, discovery returns all (panic mode)
     * @param halfOpenCalls calls let through after an ejection before deciding again
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OutlierPolicy(Integer consecutiveFailures, Integer failureRateThreshold, Integer minimumCalls,
            Integer baseEjectionSeconds, Integer maxEjectionSeconds, Integer maxEjectionPercent,
            Integer minHealthPercent, Integer halfOpenCalls) {
    }
}
