package io.beacon.watch;

/**
 * A held request waiting for its service to change (a blocking discovery), parked with
 * {@link WatchHub#park}. When the service changes, the hub prepares one answer per {@link #shareKey}
 * and sends it to every waiter with that key on its sender threads; every answer is sent (written and
 * flushed) before any waiter is finished, so no client waits behind another's completion.
 */
public interface Waiter {

    /** An answer ready to be sent to any number of waiters with the same share key. */
    interface Prepared {
    }

    /** Waiters of one service with equal keys get the same answer. */
    Object shareKey();

    /** Builds the answer from the registry as it is now; called once per share key and wake-up. */
    Prepared prepare();

    /**
     * Writes and flushes {@code answer} (prepared by a waiter with the same share key); false, writing
     * nothing, when this waiter was already answered (timed out, failed).
     */
    boolean send(Prepared answer);

    /** Completes the request after a successful {@link #send}. */
    void finish();

    /** Marks the waiter as counted in the held-requests gauge; true the first time. */
    boolean count();

    /** Marks it as no longer counted; true the first time after {@link #count}. */
    boolean uncount();
}
