package io.beacon.watch;

import io.beacon.registry.ServiceName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * The all-services stream. Service indexes do not order changes across services (two services publish
 * under different locks), so this stream numbers changes itself: its SSE {@code id} is a stream position
 * assigned here, in the order changes arrive. A history of positions, bounded in count and bytes, allows resumption;
 * a {@code Last-Event-ID} outside it (too old, or from before a restart) gets a fresh snapshot.
 */
final class GlobalWatch {

    private record Entry(long position, ServiceName service, long index, byte[] frame) {
    }

    private final int capacity;
    private final HistoryBudget budget;
    private final ArrayDeque<Entry> history = new ArrayDeque<>();
    private final Set<StreamSubscriber> subscribers = ConcurrentHashMap.newKeySet();
    private long position;
    private long floor;

    /**
     * @param capacity most changes kept in the history
     * @param budget bytes the history may hold
     */
    GlobalWatch(int capacity, HistoryBudget budget) {
        this.capacity = capacity;
        this.budget = budget;
    }

    /** Records a change of {@code service} at {@code index}; {@code frame} builds the frame for a position. */
    synchronized void change(ServiceName service, long index, LongFunction<byte[]> frame) {
        long at = ++position;
        byte[] bytes = frame.apply(at);
        history.addLast(new Entry(at, service, index, bytes));
        budget.add(HistoryBudget.cost(bytes));
        while (history.size() > capacity || (history.size() > 1 && budget.exceeded())) {
            Entry dropped = history.removeFirst();
            budget.release(HistoryBudget.cost(dropped.frame()));
            floor = dropped.position();
        }
        for (StreamSubscriber s : subscribers) {
            Long covered = s.snapshotIndexes.get(service);
            if ((covered == null || index > covered) && !s.offer(bytes)) {
                subscribers.remove(s);
            }
        }
    }

    /**
     * Subscribes the all-services stream; resumes from history when possible. A snapshot is built outside
     * this watch's monitor (which every change of every service needs), at the position reached when the
     * build starts; the changes recorded while it was being built are then replayed, each only if the
     * snapshot does not already show it. Only when the history has lost some of them is the snapshot
     * built again under the monitor.
     *
     * @param snapshot builds the snapshot frame for a position
     * @return true when resumed from history
     */
    boolean subscribe(StreamSubscriber s, Long lastEventId, LongFunction<Snapshots.Global> snapshot) {
        synchronized (this) {
            if (resume(s, lastEventId)) {
                return true;
            }
        }
        long start = position();
        Snapshots.Global global = snapshot.apply(start);
        synchronized (this) {
            if (floor > start) {
                global = snapshot.apply(position); // history overflowed during the build: rare, keep it simple
                start = position;
            }
            s.snapshotIndexes = global.indexes();
            s.offer(global.bytes());
            for (Entry e : history) {
                if (e.position() > start) {
                    Long covered = s.snapshotIndexes.get(e.service());
                    if (covered == null || e.index() > covered) {
                        s.offer(e.frame());
                    }
                }
            }
            if (s.isOpen()) {
                subscribers.add(s);
            }
        }
        return false;
    }

    private synchronized long position() {
        return position;
    }

    /** Replays the history after {@code lastEventId} when it covers the gap; called with the monitor held. */
    private boolean resume(StreamSubscriber s, Long lastEventId) {
        if (lastEventId == null || lastEventId < floor || lastEventId > position) {
            return false;
        }
        List<byte[]> missed = new ArrayList<>();
        for (Entry e : history) {
            if (e.position() > lastEventId) {
                missed.add(e.frame());
            }
        }
        if (missed.size() >= s.room()) {
            return false;
        }
        missed.forEach(s::offer);
        if (s.isOpen()) {
            subscribers.add(s);
        }
        return true;
    }

    void unsubscribe(StreamSubscriber s) {
        subscribers.remove(s);
    }
}
