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
 * instance view). Worked out from the instance alone, so every answer that shows an instance (catalog,
 * discovery, watch events) carries the same explanation. The fields that do not apply are left out.
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
 * @param reported the status the instance reported itself ({@code REPORTED})
 * @param by the id of the token that drained it ({@code DRAINED}, when access control is enforced)
 * @param sentence the same, in words
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusExplanation(String cause, Instant since, Instant lastHeartbeat, Long leaseSeconds,
        Instant expiresAt, Instant evictAt, String check, Integer failuresBeforeDown, InstanceStatus reported,
        String by, String sentence) {

    /**
     * The instance attribute in which a drain notes the id of the token that drained it (not a secret); a
     * re-registration, which brings its own attributes, drops it while the drain stays.
     */
    public static final String DRAINED_BY = "operator.drainedBy";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The explanation of {@code i}'s current status. */
    public static StatusExplanation of(Instance i) {
        InstanceState s = i.state();
        Lease lease = i.lease();
        Instant since = s.since();
        Instant last = lease.lastRenewedAt();
        long leaseSeconds = lease.duration().toSeconds();
        if (s.override() != null) {
            String by = i.attributes().get(DRAINED_BY);
            return new StatusExplanation("DRAINED", since, last, leaseSeconds, null, null, null, null, null, by,
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
            return new StatusExplanation("CHECK_FAILING", since, last, leaseSeconds, null, null, target, failures,
                    null, null, "DOWN since " + time(since) + ": " + what + " failed" + times + ".");
        }
        if (s.stale()) {
            return new StatusExplanation("STALE", since, last, leaseSeconds, null, lease.evictAt(), null, null, null, null,
                    "STALE since " + time(since) + ": no heartbeat since " + time(last) + ", longer than its "
                            + leaseSeconds + " s lease; evicted at " + time(lease.evictAt())
                            + " unless it heartbeats.");
        }
        if (s.reported() != InstanceStatus.UP) {
            return new StatusExplanation("REPORTED", since, last, leaseSeconds, null, null, null, null, s.reported(), null,
                    s.reported() + " since " + time(since) + ": the instance reported it is " + s.reported() + ".");
        }
        if (s.ejected()) {
            return new StatusExplanation("EJECTED", since, last, leaseSeconds, null, null, null, null, null, null,
                    "Ejected since " + time(since) + ": clients reported failed calls, so outlier detection "
                            + "keeps it out of discovery for a while.");
        }
        return new StatusExplanation("LEASE_CURRENT", since, last, leaseSeconds, lease.expiresAt(), null, null, null,
                null, null, "Lease current: last heartbeat at " + time(last) + ", the " + leaseSeconds
                        + " s lease runs to " + time(lease.expiresAt()) + ".");
    }

    private static String time(Instant t) {
        return TIME.format(t);
    }
}
