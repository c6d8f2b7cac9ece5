package io.beacon.health;

import io.beacon.registry.InstanceKey;
import java.util.Optional;

/**
 * Which member runs an instance's active check, and where a check's progress is kept between runs. A
 * single node runs every check and keeps the progress in memory ({@link #SINGLE_NODE}). In a cluster each
 * instance's check is owned by one member, chosen from the current view, and the progress is shared, so
 * the member that takes a check over continues its counts.
 */
public interface CheckPlacement {

    /** Runs every check here and keeps no progress outside the running check. */
    CheckPlacement SINGLE_NODE = new CheckPlacement() {
        @Override
        public boolean owns(InstanceKey key) {
            return true;
        }

        @Override
        public Optional<CheckProgress> progress(InstanceKey key) {
            return Optional.empty();
        }

        @Override
        public void save(InstanceKey key, CheckProgress progress) {
        }

        @Override
        public void forget(InstanceKey key) {
        }
    };

    /** True when this member runs the instance's check now; asked before every run. */
    boolean owns(InstanceKey key);

    /** The progress last saved for the instance's check (by any member). */
    Optional<CheckProgress> progress(InstanceKey key);

    /** Saves a changed progress; returns once every member can read it. */
    void save(InstanceKey key, CheckProgress progress);

    /** Drops the instance's progress (its check stopped for good). */
    void forget(InstanceKey key);
}
