package io.beacon.expiry;

import java.time.Instant;

/**
 * Consulted by {@link ExpirySweeper} on every sweep, before it applies its decisions: may hold back the
 * sweep's evictions (the instances are still marked STALE, and evicted by a later sweep once the guard
 * lets go). Implemented by self-preservation in the health package.
 */
@FunctionalInterface
interface EvictionGuard {

    /** A guard that never holds anything back. */
    EvictionGuard NONE = (markingStale, evicting, now) -> false;

    /**
     * @param markingStale instances this sweep is about to mark STALE
     * @param evicting instances this sweep is about to evict
     * @param now the sweep's time
     * @return true to hold back this sweep's evictions
     */
    boolean holdEvictions(int markingStale, int evicting, Instant now);
}
