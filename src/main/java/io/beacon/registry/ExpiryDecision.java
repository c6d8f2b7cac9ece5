package io.beacon.registry;

/** What the expiry policy says to do with one instance at one moment. */
public enum ExpiryDecision {
    /** Lease current, or already STALE and not yet due for eviction. */
    KEEP,
    /** The lease has lapsed: mark the instance STALE (hidden from discovery, kept). */
    MARK_STALE,
    /** No heartbeat for longer than the eviction delay: remove the instance. */
    EVICT
}
