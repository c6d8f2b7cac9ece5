package io.beacon.outlier;

import io.beacon.registry.InstanceKey;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One instance's Resilience4j {@link CircuitBreaker} and what Beacon tracks around it: consecutive
 * failures (an extra trip condition besides the breaker's failure rate), the number of ejections in a
 * row (which lengthens the breaker's wait in OPEN through its {@code waitIntervalFunctionInOpenState})
 * and whether the registry currently shows the instance as ejected. Guarded by its own monitor.
 */
final class InstanceBreaker {

    /** Recorded as the error of a failed report; carries no stack trace. */
    static final Exception REPORTED_FAILURE = new Exception("reported failure", null, false, false) {
    };

    final InstanceKey key;
    final OutlierSettings settings;
    final CircuitBreaker breaker;
    int consecutiveFailures;
    /** Ejections in a row; reset once the instance has stayed CLOSED for the maximum ejection time. */
    int ejections;
    Instant closedAt;
    boolean ejected;
    Instant ejectedUntil;
    /** The failed calls reported before the current ejection; null when not ejected here or not known. */
    Integer failuresAtEjection;
    private Instant now;
    private Duration openFor;

    InstanceBreaker(InstanceKey key, OutlierSettings settings, Clock clock, InstanceBreaker previous) {
        this.key = key;
        this.settings = settings;
        if (previous != null) {
            this.ejections = previous.ejections;
            this.closedAt = previous.closedAt;
        }
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .clock(clock)
                .slidingWindow(settings.minimumCalls(), settings.minimumCalls(),
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(settings.failureRateThreshold())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .waitIntervalFunctionInOpenState(attempt -> (openFor != null ? openFor : ejectionTime()).toMillis())
                .recordException(e -> true)
                .build();
        this.breaker = CircuitBreaker.of(key.toString(), config);
    }

    /** Sets the time the next breaker operations happen at (read by the wait function). */
    void at(Instant time) {
        this.now = time;
    }

    /** Makes the next transition to OPEN wait {@code wait} (the rest of an ejection taken over); null to stop. */
    void openFor(Duration wait) {
        this.openFor = wait;
    }

    /** The ordinal the next ejection will have: one more than now, or 1 after a long enough CLOSED spell. */
    int nextEjection() {
        if (closedAt != null && now != null && Duration.between(closedAt, now).compareTo(settings.maxEjection()) >= 0) {
            return 1;
        }
        return ejections + 1;
    }

    /** How long the next ejection lasts. */
    Duration ejectionTime() {
        return settings.ejectionTime(nextEjection());
    }

    /** The failed calls reported that tripped the breaker: its window's failures, or the run of failures. */
    int reportedFailures() {
        return Math.max(consecutiveFailures, breaker.getMetrics().getNumberOfFailedCalls());
    }

    CircuitBreaker.State state() {
        return breaker.getState();
    }
}
