package io.beacon.policy;

import io.beacon.web.InputRules;
import io.beacon.web.InvalidRequestException;
import io.beacon.web.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a policy against every rule at once. Versions follow the label rule of registrations
 * ({@link InputRules#LABEL_RULE}); the JSON types (integers for the {@code ...Seconds} and
 * {@code ...Percent} fields) are enforced when the body is read.
 */
final class PolicyValidator {

    /** The strategies {@code /discover/one} knows. */
    static final Set<String> STRATEGIES = Set.of("round_robin", "random", "weighted", "least_connections",
            "consistent_hash");

    private PolicyValidator() {
    }

    static void validate(ServicePolicy policy) {
        List<Violation> errors = new ArrayList<>();
        if (policy == null) {
            throw new InvalidRequestException("body", "a JSON object is required");
        }
        if (policy.strategy() != null && !STRATEGIES.contains(policy.strategy())) {
            errors.add(new Violation("strategy", "must be one of " + String.join(", ", STRATEGIES.stream().sorted().toList())));
        }
        if (policy.split() != null) {
            Set<String> seen = new HashSet<>();
            int total = 0;
            for (int i = 0; i < policy.split().size(); i++) {
                ServicePolicy.VersionWeight vw = policy.split().get(i);
                String field = "split[" + i + "]";
                if (vw == null || vw.version() == null || vw.version().isBlank()) {
                    errors.add(new Violation(vw == null ? field : field + ".version", "is required"));
                    continue;
                }
                if (!InputRules.isLabel(vw.version())) {
                    errors.add(new Violation(field + ".version", InputRules.LABEL_RULE));
                    continue;
                }
                if (!seen.add(vw.version())) {
                    errors.add(new Violation(field + ".version", "'" + vw.version() + "' appears twice"));
                }
                if (vw.weight() == null || vw.weight() < 0 || vw.weight() > 1_000_000) {
                    errors.add(new Violation(field + ".weight", "must be between 0 and 1000000"));
                } else {
                    total += vw.weight();
                }
            }
            if (!policy.split().isEmpty() && total == 0 && errors.isEmpty()) {
                errors.add(new Violation("split", "needs at least one positive weight"));
            }
        }
        ServicePolicy.OutlierPolicy o = policy.outlier();
        if (o != null) {
            range(errors, "outlier.consecutiveFailures", o.consecutiveFailures(), 1, 1000);
            range(errors, "outlier.failureRateThreshold", o.failureRateThreshold(), 1, 100);
            range(errors, "outlier.minimumCalls", o.minimumCalls(), 1, 10000);
            range(errors, "outlier.baseEjectionSeconds", o.baseEjectionSeconds(), 1, 86400);
            range(errors, "outlier.maxEjectionSeconds", o.maxEjectionSeconds(), 1, 86400);
            range(errors, "outlier.maxEjectionPercent", o.maxEjectionPercent(), 0, 100);
            range(errors, "outlier.minHealthPercent", o.minHealthPercent(), 0, 100);
            range(errors, "outlier.halfOpenCalls", o.halfOpenCalls(), 1, 1000);
            if (o.baseEjectionSeconds() != null && o.maxEjectionSeconds() != null
                    && o.maxEjectionSeconds() < o.baseEjectionSeconds()) {
                errors.add(new Violation("outlier.maxEjectionSeconds", "must not be less than baseEjectionSeconds"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    private static void range(List<Violation> errors, String field, Integer value, int min, int max) {
        InputRules.range(field, value, min, max, errors);
    }
}
