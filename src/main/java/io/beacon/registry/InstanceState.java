package io.beacon.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * What Beacon knows about an instance's health, from every source, and the effective status derived
 * from it. Immutable: every {@code with...} method returns a new state, recomputing the effective
 * status and moving {@link #since()} only when that status (or the ejection) changes.
 *
 * <p>Precedence: an operator's {@code OUT_OF_SERVICE} override, then a failing active check (DOWN),
 * then a missed lease (STALE), then the status the instance reported about itself (UP by default).
 *
 * @param reported the status the instance reported (UP, DOWN or STARTING)
 * @param override an operator override ({@code OUT_OF_SERVICE}), or null
 * @param checkPassing the active check's verdict: null without a check or before its first verdict
 * @param stale true once the lease has expired
 * @param ejected true while the outlier detector keeps the instance out of discovery
 * @param status the effective status
 * @param reason why the instance has this status, in words
 * @param since when the effective status (or ejection) last changed
 */
public record InstanceState(InstanceStatus reported, InstanceStatus override, Boolean checkPassing,
        boolean stale, boolean ejected, InstanceStatus status, String reason, Instant since) {

    public InstanceState {
        Objects.requireNonNull(reported, "reported");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
    }

    /** The state of a newly registered instance. */
    public static InstanceState initial(InstanceStatus reported, Instant now) {
        return derive(reported, null, null, false, false, null, now);
    }

    public InstanceState withReported(InstanceStatus value, Instant now) {
        return derive(value, override, checkPassing, stale, ejected, this, now);
    }

    public InstanceState withOverride(InstanceStatus value, Instant now) {
        return derive(reported, value, checkPassing, stale, ejected, this, now);
    }

    public InstanceState withCheckPassing(Boolean value, Instant now) {
        return derive(reported, override, value, stale, ejected, this, now);
    }

    public InstanceState withStale(boolean value, Instant now) {
        return derive(reported, override, checkPassing, value, ejected, this, now);
    }

    public InstanceState withEjected(boolean value, Instant now) {
        return derive(reported, override, checkPassing, stale, value, this, now);
    }

    /** True when discovery may return the instance: UP and not ejected. */
    public boolean isDiscoverable() {
        return status == InstanceStatus.UP && !ejected;
    }

    private static InstanceState derive(InstanceStatus reported, InstanceStatus override, Boolean checkPassing,
            boolean stale, boolean ejected, InstanceState previous, Instant now) {
        InstanceStatus status;
        String reason;
        if (override != null) {
            status = override;
            reason = "set to " + override + " by an operator";
        } else if (Boolean.FALSE.equals(checkPassing)) {
            status = InstanceStatus.DOWN;
            reason = "health check failing";
        } else if (stale) {
            status = InstanceStatus.STALE;
            reason = "no heartbeat within the lease";
        } else {
            status = reported;
            reason = reported == InstanceStatus.UP ? "lease current" : "reported " + reported + " by the instance";
        }
        if (ejected && status == InstanceStatus.UP) {
            reason = "ejected by outlier detection";
        }
        Instant since = previous != null && previous.status == status && previous.ejected == ejected
                ? previous.since : now;
        if (previous != null && previous.status == status && previous.ejected == ejected
                && Objects.equals(previous.reason, reason) && previous.reported == reported
                && previous.override == override && Objects.equals(previous.checkPassing, checkPassing)
                && previous.stale == stale) {
            return previous;
        }
        return new InstanceState(reported, override, checkPassing, stale, ejected, status, reason, since);
    }
}
