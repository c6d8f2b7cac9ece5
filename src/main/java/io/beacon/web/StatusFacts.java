package io.beacon.web;

import io.beacon.registry.Instance;
import java.time.Instant;
import java.util.List;

/**
 * What other parts of Beacon know about an instance's status beyond the instance itself: the active
 * check's last answer and the outlier breaker's state. Catalog views pass them to
 * {@link StatusExplanation#of(Instance, StatusFacts)}; every field may be null (not known here).
 *
 * @param checkAnswer the last probe result of the instance's active check: {@code HTTP 503},
 *     {@code connection refused}, {@code timed out}, ...
 * @param ejectedUntil when the current ejection ends
 * @param reportedFailures the failed calls clients reported before the ejection
 * @param breaker the outlier breaker's state: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
 */
public record StatusFacts(String checkAnswer, Instant ejectedUntil, Integer reportedFailures, String breaker) {

    /** Nothing known beyond the instance. */
    public static final StatusFacts NONE = new StatusFacts(null, null, null, null);

    /**
     * One part's facts about an instance (a bean; the active checks and outlier detection provide one
     * each). Called on catalog reads only, never on discovery.
     */
    public interface Source {
        StatusFacts of(Instance instance);
    }

    /** The facts of every source, the first non-null value of each field winning. */
    public static StatusFacts of(Instance instance, List<? extends Source> sources) {
        StatusFacts facts = NONE;
        for (Source source : sources) {
            facts = facts.or(source.of(instance));
        }
        return facts;
    }

    private StatusFacts or(StatusFacts other) {
        if (other == null) {
            return this;
        }
        return new StatusFacts(checkAnswer != null ? checkAnswer : other.checkAnswer,
                ejectedUntil != null ? ejectedUntil : other.ejectedUntil,
                reportedFailures != null ? reportedFailures : other.reportedFailures,
                breaker != null ? breaker : other.breaker);
    }
}
