package io.beacon.watch;


import io.beacon.registry.ServiceName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The watchers of one service and its recent changes (bounded in count and, with every other service's,
 * in bytes: {@link HistoryBudget}). A change to this service touches only these
 * watchers. Its monitor orders "append a change" against "subscribe", so a subscriber sees every change
 * after its snapshot or resume point exactly once (or, in a narrow race, once more than the snapshot
 * already shows; clients compare indexes).
 */
final class ServiceWatch {

    private record Entry(long index, byte[] frame) {
    }

    final ServiceName name;
    private final int capacity;
    private final HistoryBudget budget;
    private final ArrayDeque<Entry> history = new ArrayDeque<>();
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final Set<StreamSubscriber> subscribers = ConcurrentHashMap.newKeySet();
    /** Changes with an index at or below the floor may be missing from the history. */
    private long floor;
    /** Index of the last change seen. */
    private long last;

    /**
     * @param capacity most changes kept in the history
     * @param budget bytes shared by every service's history
     */
    ServiceWatch(ServiceName name, long floor, int capacity, HistoryBudget budget) {
        this.name = name;
        this.floor = floor;
        this.last = floor;
        this.capacity = capacity;
        this.budget = budget;
    }

    /** Records a change (called in index order) and returns the long polls it wakes. */
    synchronized List<Waiter> change(long index, byte[] frame) {
        last = index;
        history.addLast(new Entry(index, frame));
        budget.add(HistoryBudget.cost(frame));
        while (history.size() > capacity || (history.size() > 1 && budget.exceeded())) {
            Entry dropped = history.removeFirst();
            budget.release(HistoryBudget.cost(dropped.frame()));
            floor = dropped.index();
        }
        for (StreamSubscriber s : subscribers) {
            if (index > s.after && !s.offer(frame)) {
                subscribers.remove(s);
            }
        }
        if (waiters.isEmpty()) {
            return List.of();
        }
        List<Waiter> woken = new ArrayList<>(waiters);
        waiters.clear();
        return woken;
    }

    /**
     * Parks a long poll unless it must be answered now: the service's current index differs from the
     * client's (newer data, or a client index from before a restart).
     *
     * @return true when parked
     */
    synchronized boolean park(Waiter poll, long clientIndex, LongSupplier currentIndex) {
        if (currentIndex.getAsLong() != clientIndex) {
            return false;
        }
        waiters.add(poll);
        return true;
    }

    /** Removes and returns every parked long poll (shutdown). */
    synchronized List<Waiter> unparkAll() {
        List<Waiter> all = new ArrayList<>(waiters);
        waiters.clear();
        return all;
    }

    boolean unpark(Waiter poll) {
        return waiters.remove(poll);
    }

    /**
     * Subscribes a stream: replays the history after {@code lastEventId} when it covers the gap (and fits
     * the subscriber's queue), otherwise sends a fresh snapshot.
     *
     * @return true when resumed from history, false when a snapshot was sent
     */
    synchronized boolean subscribe(StreamSubscriber s, Long lastEventId, Supplier<Snapshots.Frame> snapshot) {
        boolean resumed = false;
        if (lastEventId != null && lastEventId >= floor && lastEventId <= last) {
            List<byte[]> missed = new ArrayList<>();
            for (Entry e : history) {
                if (e.index() > lastEventId) {
                    missed.add(e.frame());
                }
            }
            if (missed.size() < s.room()) {
                missed.forEach(s::offer);
                s.after = last;
                resumed = true;
            }
        }
        if (!resumed) {
            Snapshots.Frame frame = snapshot.get();
            s.after = frame.index();
            s.offer(frame.bytes());
        }
        if (s.isOpen()) {
            subscribers.add(s);
        }
        return resumed;
    }

    void unsubscribe(StreamSubscriber s) {
        subscribers.remove(s);
    }
}
