package io.beacon.watch;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes held by change histories, against a bound ({@code beacon.watch.history-bytes} for the per-service
 * histories together, {@code beacon.watch.global-history-bytes} for the all-services one). A history adds
 * each frame it keeps and gives back each it drops; while the budget is exceeded, a history that records a
 * change drops its oldest entries (down to the newest one), so the total stays within the bound plus at
 * most one frame per history. An entry is counted as its frame's bytes plus {@link #ENTRY_OVERHEAD}.
 */
final class HistoryBudget {

    /** Heap an entry costs besides its frame: the entry, its array header, the deque slot. */
    static final int ENTRY_OVERHEAD = 64;

    private final long max;
    private final AtomicLong used = new AtomicLong();

    HistoryBudget(long max) {
        this.max = max;
    }

    static long cost(byte[] frame) {
        return frame.length + (long) ENTRY_OVERHEAD;
    }

    void add(long bytes) {
        used.addAndGet(bytes);
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    boolean exceeded() {
        return used.get() > max;
    }

    long used() {
        return used.get();
    }
}
