package io.beacon.expiry;

/**
 * What one sweep did.
 *
 * @param examined instances whose deadline had come and were re-evaluated
 * @param markedStale instances marked STALE
 * @param evicted instances removed
 * @param evictionsDeferred evictions held back by self-preservation
 */
public record SweepResult(int examined, int markedStale, int evicted, int evictionsDeferred) {

    /** A pass that looked at nothing (this member does not hold the expiry role). */
    public static final SweepResult NONE = new SweepResult(0, 0, 0, 0);
}
