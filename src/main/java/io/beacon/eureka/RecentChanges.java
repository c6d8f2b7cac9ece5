package io.beacon.eureka;

import io.beacon.registry.InstanceKey;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryListener;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The changes of the last {@code beacon.eureka.delta-retention}, fed by registry events, for
 * {@code GET /eureka/apps/delta}; and the global change counter that versions Eureka answers.
 *
 * <p>Like Eureka's recently-changed queue, an instance appears at most once: its latest change wins
 * (a client applying the delta only needs the last state of each instance). Renewals are not changes.
 * The listener does O(1) work under a leaf lock.
 */
@Component
class RecentChanges implements RegistryListener {

    /** One change: when, and the instance as it was right after it. */
    record Change(Instant at, EurekaInstance.Entry entry) {
    }

    /** The retained changes, oldest first, and the change counter when they were read. */
    record Snapshot(long version, List<Change> changes) {
    }

    private final LinkedHashMap<InstanceKey, Change> changes = new LinkedHashMap<>();
    private final AtomicLong version = new AtomicLong(1);
    /** Moves whenever the retained changes do (guarded by {@code changes}). */
    private long generation;
    private final Clock clock;
    private final EurekaProperties properties;

    RecentChanges(Clock clock, EurekaProperties properties) {
        this.clock = clock;
        this.properties = properties;
    }

    @Override
    public void on(RegistryEvent event) {
        if (!event.isChange()) {
            return;
        }
        EurekaInstance.ActionType action = switch (event.kind()) {
            case REGISTERED -> EurekaInstance.ActionType.ADDED;
            case DEREGISTERED, EVICTED -> EurekaInstance.ActionType.DELETED;
            default -> EurekaInstance.ActionType.MODIFIED;
        };
        Change change = new Change(clock.instant(),
                new EurekaInstance.Entry(EurekaMapper.toEureka(event.instance()), action));
        synchronized (changes) {
            changes.remove(event.instance().key());
            changes.put(event.instance().key(), change);
            version.incrementAndGet();
            generation++;
            prune(change.at());
        }
    }

    /** Increases with every registry change (never with renewals); starts at 1. */
    long version() {
        return version.get();
    }

    /**
     * Moves whenever what {@link #snapshot} would return does: with every change, and when a change ages
     * out of the retention (checked now, by the clock). Versions the shared delta answers.
     */
    long generation() {
        synchronized (changes) {
            prune(clock.instant());
            return generation;
        }
    }

    Snapshot snapshot() {
        synchronized (changes) {
            long v = version.get();
            prune(clock.instant());
            return new Snapshot(v, new ArrayList<>(changes.values()));
        }
    }

    private void prune(Instant now) {
        Instant cutoff = now.minus(properties.deltaRetention());
        Iterator<Change> it = changes.values().iterator();
        while (it.hasNext()) {
            Change c = it.next();
            if (c.at().isBefore(cutoff) || changes.size() > properties.deltaMaxEntries()) {
                it.remove();
                generation++;
            } else {
                break;
            }
        }
    }
}
