package io.beacon.outlier;

import io.beacon.registry.InstanceKey;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where an instance's breaker lives, and where its ejection state is shared. A single node holds every
 * breaker and shares nothing ({@link #SINGLE_NODE}). In a cluster one member, chosen from the current
 * view, owns each instance's breaker: reports sent to any member are applied there, and the state a
 * new owner needs to continue (ejected-until, ejections in a row) is kept where every member reads it.
 */
public interface BreakerPlacement {

    /** Applies reports to this member's breaker of an instance. */
    interface Reports {
        /** Applies one report here; empty when the instance is not registered. */
        Optional<ReportVerdict> apply(InstanceKey key, boolean success, long latencyMs);
    }

    /**
     * What a report did, as the owner answers it.
     *
     * @param breaker the breaker state after the report (CLOSED, OPEN or HALF_OPEN)
     * @param recorded false when the breaker did not take the report
     * @param ejected whether the instance is ejected now
     * @param ejectedUntil when the ejection ends, or null
     */
    record ReportVerdict(String breaker, boolean recorded, boolean ejected, Instant ejectedUntil) {
    }

    /**
     * An instance's ejection state, shared so that a new owner continues it.
     *
     * @param ejections ejections in a row
     * @param ejectedUntil when the current ejection ends, or null when not ejected
     * @param closedAt since when the breaker has been CLOSED, or null
     */
    record Ejection(int ejections, Instant ejectedUntil, Instant closedAt) {
    }

    BreakerPlacement SINGLE_NODE = new BreakerPlacement() {
        @Override
        public void serve(Reports local) {
        }

        @Override
        public Optional<ReportVerdict> report(InstanceKey key, boolean success, long latencyMs, Reports local) {
            return local.apply(key, success, latencyMs);
        }

        @Override
        public boolean owns(InstanceKey key) {
            return true;
        }

        @Override
        public Optional<Ejection> ejection(InstanceKey key) {
            return Optional.empty();
        }

        @Override
        public void save(InstanceKey key, Ejection ejection) {
        }

        @Override
        public void forget(InstanceKey key) {
        }

        @Override
        public Collection<InstanceKey> ejected() {
            return List.of();
        }
    };

    /** Registers the handler that applies reports routed to this member from others. */
    void serve(Reports local);

    /** Applies a report on the member that owns the instance's breaker ({@code local} when it is this one). */
    Optional<ReportVerdict> report(InstanceKey key, boolean success, long latencyMs, Reports local);

    /** True when this member owns the instance's breaker now. */
    boolean owns(InstanceKey key);

    /** The shared ejection state of an instance, when one was saved. */
    Optional<Ejection> ejection(InstanceKey key);

    /** Saves an instance's ejection state (on an ejection and on its end); returns once every member can read it. */
    void save(InstanceKey key, Ejection ejection);

    void forget(InstanceKey key);

    /** Instances with a saved ejection that has not ended (a new owner takes them over on its sweep). */
    Collection<InstanceKey> ejected();
}
