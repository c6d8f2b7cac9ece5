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
 * assigned here, in the order changes arrive. A bounded history of positions allows resumption;
 * a {@code Last-Event-ID} outside it (too old, or from before a restart) gets a fresh snapshot.
 */
final class GlobalWatch {

    private record Entry(long position, byte[] frame) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> history = new ArrayDeque<>();
    private final Set<StreamSubscriber> subscribers = ConcurrentHashMap.newKeySet();
    private long position;
    private long floor;

    GlobalWatch(int capacity) {
        this.capacity = capacity;
    }

    /** Records a change of {@code service} at {@code index}; {@code frame} builds the frame for a position. */
    synchronized void change(ServiceName service, long index, LongFunction<byte[]> frame) {
        long at = ++position;
        byte[] bytes = frame.apply(at);
        history.addLast(new Entry(at, bytes));
        if (history.size() > capacity) {
            floor = history.removeFirst().position();
        }
        for (StreamSubscriber s : subscribers) {
            Long covered = s.snapshotIndexes.get(service);
            if ((covered == null || index > covered) && !s.offer(bytes)) {
                subscribers.remove(s);
            }
        }
    }

    /**
     * Subscribes the all-services stream; resumes from history when possible.
     *
     * @param snapshot builds the snapshot frame for the current position
     * @return true when resumed from history
     */
    synchronized boolean subscribe(StreamSubscriber s, Long lastEventId, LongFunction<Snapshots.Global> snapshot) {
        boolean resumed = false;
        if (lastEventId != null && lastEventId >= floor && lastEventId <= position) {
            List<byte[]> missed = new ArrayList<>();
            for (Entry e : history) {
                if (e.position() > lastEventId) {
                    missed.add(e.frame());
                }
            }
            if (missed.size() < s.room()) {
                missed.forEach(s::offer);
                resumed = true;
            }
        }
        if (!resumed) {
            Snapshots.Global global = snapshot.apply(position);
            s.snapshotIndexes = global.indexes();
            s.offer(global.bytes());
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
