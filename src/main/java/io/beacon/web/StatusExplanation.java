package io.beacon.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.beacon.registry.CheckSpec;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceState;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Lease;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Why an instance has its status, as structured fields and one sentence (the {@code explanation} of the
 * catalog views {@code GET /services/{name}} and {@code GET /services/{name}/instances/{id}}). Worked out
 * from the instance and the {@link StatusFacts} other parts keep about it (the check's last answer, the
 * outlier breaker); discovery, watch events and the compatible APIs do not carry it, to keep those answers
 * small. The fields that do not apply or are not known are left out.
 *
 * @param cause what decides the status: {@code LEASE_CURRENT}, {@code STALE}, {@code DRAINED},
 *     {@code CHECK_FAILING}, {@code EJECTED} or {@code REPORTED}
 * @param since when the status (or the ejection) last changed
 * @param lastHeartbeat the last heartbeat or registration
 * @param leaseSeconds the instance's lease
 * @param expiresAt when a current lease lapses without a heartbeat ({@code LEASE_CURRENT})
 * @param evictAt when a STALE instance is removed unless it heartbeats ({@code STALE})
 * @param check the failing check's target ({@code CHECK_FAILING}), for example {@code http://10.0.0.5:8080/health}
 * @param failuresBeforeDown the consecutive failures that turned the check DOWN ({@code CHECK_FAILING})
 * @param checkAnswer the failing check's last probe result ({@code CHECK_FAILING}), for example {@code HTTP 503}
 * @param ejectedUntil when the ejection ends ({@code EJECTED})
 * @param reportedFailures the failed calls clients reported before the ejection ({@code EJECTED})
 * @param breaker the outlier breaker's state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}) when known
 * @param reported the status the instance reported itself ({@code REPORTED})
 * @param by the id of the token that drained it ({@code DRAINED}, when access control is enforced)
 * @param sentence the same, in words
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusExplanation(String cause, Instant since, Instant lastHeartbeat, Long leaseSeconds,
        Instant expiresAt, Instant evictAt, String check, Integer failuresBeforeDown, String checkAnswer,
        Instant ejectedUntil, Integer reportedFailures, String breaker, InstanceStatus reported, String by,
        String sentence) {

    /**
     * The instance attribute in which a drain notes the id of the token that drained it (not a secret); a
     * re-registration, which brings its own attributes, drops it while the drain stays.
     */
    public static final String DRAINED_BY = "operator.drainedBy";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The explanation of {@code i}'s current status from the instance alone. */
    public static StatusExplanation of(Instance i) {
        return of(i, StatusFacts.NONE);
    }

    /** The explanation of {@code i}'s current status, with what other parts know about it. */
    public static StatusExplanation of(Instance i, StatusFacts facts) {
        InstanceState s = i.state();
        Lease lease = i.lease();
        Instant since = s.since();
        Instant last = lease.lastRenewedAt();
        long leaseSeconds = lease.duration().toSeconds();
        if (s.override() != null) {
            String by = i.attributes().get(DRAINED_BY);
            return new StatusExplanation("DRAINED", since, last, leaseSeconds, null, null, null, null, null, null, null,
                    facts.breaker(), null, by,
                    s.override() + " since " + time(since) + ": drained by " + (by == null ? "an operator" : "token '"
                            + by + "'") + "; heartbeats do not undo it, setting the status to UP returns it to "
                            + "discovery.");
        }
        if (Boolean.FALSE.equals(s.checkPassing())) {
            CheckSpec c = i.check();
            String target = c == null ? null : c.target();
            Integer failures = c == null ? null : c.failuresBeforeDown();
            String what = c == null ? "its health check" : "its " + c.type() + " check of " + target;
            String times = failures == null ? "" : " " + failures + (failures == 1 ? " time" : " times") + " in a row";
            String answer = facts.checkAnswer() == null ? "" : ", last answer " + facts.checkAnswer();
            return new StatusExplanation("CHECK_FAILING", since, last, leaseSeconds, null, null, target, failures,
                    facts.checkAnswer(), null, null, facts.breaker(), null, null,
                    "DOWN since " + time(since) + ": " + what + " failed" + times + answer + ".");
        }
        if (s.stale()) {
            return new StatusExplanation("STALE", since, last, leaseSeconds, null, lease.evictAt(), null, null, null,
                    null, null, facts.breaker(), null, null,
                    "STALE since " + time(since) + ": no heartbeat since " + time(last) + ", longer than its "
                            + leaseSeconds + " s lease; evicted at " + time(lease.evictAt())
                            + " unless it heartbeats.");
        }
        if (s.reported() != InstanceStatus.UP) {
            return new StatusExplanation("REPORTED", since, last, leaseSeconds, null, null, null, null, null, null, null,
                    facts.breaker(), s.reported(), null,
                    s.reported() + " since " + time(since) + ": the instance reported it is " + s.reported() + ".");
        }
        if (s.ejected()) {
            Instant until = facts.ejectedUntil();
            Integer failures = facts.reportedFailures();
            String reports = failures == null ? "clients reported failed calls"
                    : "clients reported " + failures + (failures == 1 ? " failed call" : " failed calls");
            String breaker = facts.breaker() == null ? "" : " Its breaker is " + facts.breaker() + ".";
            return new StatusExplanation("EJECTED", since, last, leaseSeconds, null, null, null, null, null, until,
                    failures, facts.breaker(), null, null, "Ejected since " + time(since)
                            + (until == null ? "" : " until " + time(until)) + ": " + reports
                            + ", so outlier detection keeps it out of discovery"
                            + (until == null ? " for a while." : ".") + breaker);
        }
        String trial = "HALF_OPEN".equals(facts.breaker()) ? " Its breaker is HALF_OPEN: the next calls clients "
                + "report decide whether it is ejected again." : "";
        return new StatusExplanation("LEASE_CURRENT", since, last, leaseSeconds, lease.expiresAt(), null, null, null,
                null, null, null, facts.breaker(), null, null, "Lease current: last heartbeat at " + time(last)
                        + ", the " + leaseSeconds + " s lease runs to " + time(lease.expiresAt()) + "." + trial);
    }

    private static String time(Instant t) {
        return TIME.format(t);
    }
}
