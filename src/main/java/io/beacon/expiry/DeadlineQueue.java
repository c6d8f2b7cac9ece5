package io.beacon.expiry;

import io.beacon.registry.InstanceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Instances ordered by the moment their lease must next be looked at. Heartbeats do not touch it: when
 * a deadline comes and the lease was renewed in the meantime, the sweeper re-queues the instance at its
 * new deadline. So the sweep's work follows the leases that come due, not the number of instances.
 * Equal (deadline, instance) entries collapse, which keeps at most a few entries per instance.
 */
final class DeadlineQueue {

    record Deadline(long atMillis, InstanceKey key) {
    }

    private static final Comparator<Deadline> ORDER = Comparator.comparingLong(Deadline::atMillis)
            .thenComparing(d -> d.key().service())
            .thenComparing(d -> d.key().id());

    private final ConcurrentSkipListSet<Deadline> deadlines = new ConcurrentSkipListSet<>(ORDER);

    void schedule(InstanceKey key, Instant at) {
        deadlines.add(new Deadline(at.toEpochMilli(), key));
    }

    /** Removes and returns every instance whose deadline is at or before {@code now}. */
    List<InstanceKey> pollDue(Instant now) {
        long limit = now.toEpochMilli();
        List<InstanceKey> due = new ArrayList<>();
        Deadline first;
        while ((first = deadlines.pollFirst()) != null) {
            if (first.atMillis() > limit) {
                deadlines.add(first);
                break;
            }
            due.add(first.key());
        }
        return due;
    }

    int size() {
        return deadlines.size();
    }
}
