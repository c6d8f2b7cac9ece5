package io.beacon.registry;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One service's events on their way to the listeners. Writers {@link #add} events while holding the
 * service's lock (so they queue in index order) and {@link #flush} after releasing it: the first writer
 * to get the delivery lock delivers everything queued, in order, while the service's lock is free for the
 * next writes; a writer whose event another thread delivered finds it done and does not wait for the
 * listeners again. No listener ever runs under the service's lock, and no thread is started per event.
 *
 * <p>A write made by a listener (from inside a delivery) never waits for a delivery lock, which could
 * deadlock: its event is left in the queue and delivered by the thread holding that lock, or by this
 * thread once the current event has reached every listener. After releasing the delivery lock a thread
 * looks at the queue once more, so an event left behind that way is never stranded.
 */
final class EventOutbox {

    private final RegistryEvents events;
    private final ConcurrentLinkedQueue<RegistryEvent> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock delivery = new ReentrantLock();
    /** Events ever queued; written only under the service's lock. */
    private volatile long added;
    /** Events ever delivered (to every listener); written only under the delivery lock. */
    private volatile long delivered;

    EventOutbox(RegistryEvents events) {
        this.events = events;
    }

    /** Queues an event; called with the service's lock held. Returns the event's number in this outbox. */
    long add(RegistryEvent event) {
        queue.add(event);
        return ++added;
    }

    /** Number of the last event queued. */
    long added() {
        return added;
    }

    /**
     * Returns once event number {@code upTo} and every one before it have reached every listener; when
     * called from inside a delivery, returns at once and leaves the events to the delivering thread.
     */
    void flush(long upTo) {
        if (delivered >= upTo || delivery.isHeldByCurrentThread()) {
            return;
        }
        if (!events.isStarted()) {
            events.park(this);
            return;
        }
        if (RegistryEvents.delivering()) {
            if (!delivery.tryLock()) {
                return;
            }
        } else {
            delivery.lock();
        }
        drainAndUnlock();
        while (!queue.isEmpty() && delivery.tryLock()) {
            drainAndUnlock();
        }
    }

    /** Delivers everything queued (used when delivery starts). */
    void flushAll() {
        flush(Long.MAX_VALUE);
    }

    private void drainAndUnlock() {
        boolean nested = RegistryEvents.enterDelivery();
        try {
            RegistryEvent event;
            while ((event = queue.poll()) != null) {
                try {
                    events.deliver(event);
                } finally {
                    delivered++;
                }
            }
        } finally {
            RegistryEvents.exitDelivery(nested);
            delivery.unlock();
        }
    }
}
