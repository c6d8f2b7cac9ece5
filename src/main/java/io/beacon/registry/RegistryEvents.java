package io.beacon.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ClassUtils;

/**
 * Delivers registry events to the {@link RegistryListener}s, must-see ones first, each call guarded: a
 * listener that throws is counted in {@code beacon.event.listener.errors{listener}} (the listener's
 * class simple name) and logged at most once per {@link #QUIET} of the clock, with the number of failures
 * not logged since; the other listeners still run and the write that raised the event is not affected.
 *
 * <p>Writers do not call listeners themselves: they queue events in their service's {@link EventOutbox}
 * while holding the service's lock and flush it after releasing it (see {@link ServiceTable}). In Spring,
 * the listeners are known only once every bean exists ({@link #start}); events raised before (a cluster
 * member loading the shared state, say) wait in their outboxes and are delivered then, in order.
 */
public final class RegistryEvents {

    /** Shortest time between two log lines about the same failing listener (the log text says "a minute"). */
    static final Duration QUIET = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(RegistryEvents.class);

    /** True on a thread that is delivering events (so a write made by a listener must never wait). */
    private static final ThreadLocal<Boolean> DELIVERING = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final MeterRegistry meters;
    private final Clock clock;
    private volatile Guarded[] listeners = new Guarded[0];
    private volatile boolean started;
    private final Set<EventOutbox> parked = ConcurrentHashMap.newKeySet();

    /** Not started: events wait until {@link #start} names the listeners. */
    RegistryEvents(MeterRegistry meters, Clock clock) {
        this.meters = meters;
        this.clock = clock;
    }

    /** Delivers to {@code listeners} from the first event on (for use without Spring: tests, benchmarks). */
    public RegistryEvents(List<? extends RegistryListener> listeners, MeterRegistry meters, Clock clock) {
        this(meters, clock);
        start(listeners);
    }

    /**
     * Sets the listeners (must-see first, otherwise in the given order) and delivers the events that
     * waited for them.
     */
    void start(List<? extends RegistryListener> given) {
        List<RegistryListener> ordered = new ArrayList<>(given);
        ordered.sort(Comparator.comparing(RegistryListener::phase)); // stable: keeps the order within a phase
        Guarded[] guarded = new Guarded[ordered.size()];
        for (int n = 0; n < guarded.length; n++) {
            guarded[n] = new Guarded(ordered.get(n));
        }
        listeners = guarded;
        started = true;
        for (EventOutbox outbox : parked) {
            parked.remove(outbox);
            outbox.flushAll();
        }
    }

    boolean isStarted() {
        return started;
    }

    /** Remembers an outbox that was flushed before {@link #start}; flushed again once started. */
    void park(EventOutbox outbox) {
        parked.add(outbox);
        if (started && parked.remove(outbox)) {
            outbox.flushAll();
        }
    }

    /** Hands one event to every listener, on this thread, now. */
    void deliver(RegistryEvent event) {
        for (Guarded listener : listeners) {
            listener.call(event);
        }
    }

    /** Marks this thread as delivering; returns whether it already was. */
    static boolean enterDelivery() {
        boolean was = DELIVERING.get();
        if (!was) {
            DELIVERING.set(Boolean.TRUE);
        }
        return was;
    }

    static void exitDelivery(boolean was) {
        if (!was) {
            DELIVERING.set(Boolean.FALSE);
        }
    }

    static boolean delivering() {
        return DELIVERING.get();
    }

    /**
     * The name a listener is counted and logged under: its class's simple name (for a lambda, the class
     * that declares it; for an anonymous class, its binary name without the package).
     */
    static String nameOf(RegistryListener listener) {
        Class<?> type = ClassUtils.getUserClass(listener);
        if (!type.isHidden() && !type.isAnonymousClass()) {
            return type.getSimpleName();
        }
        String name = type.getName();
        int lambda = name.indexOf("$$Lambda");
        if (lambda >= 0) {
            name = name.substring(0, lambda);
        }
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** One listener, its error counter and its log throttle. */
    private final class Guarded {

        private final RegistryListener listener;
        private final String name;
        private final Counter errors;
        private Instant lastLogged;
        private long unlogged;

        Guarded(RegistryListener listener) {
            this.listener = listener;
            this.name = nameOf(listener);
            this.errors = Counter.builder("beacon.event.listener.errors").tag("listener", name)
                    .description("Registry event deliveries a listener failed; the write that raised the event "
                            + "kept its result and the other listeners still ran")
                    .register(meters);
        }

        void call(RegistryEvent event) {
            try {
                listener.on(event);
            } catch (RuntimeException e) {
                failed(event, e);
            }
        }

        private void failed(RegistryEvent event, RuntimeException error) {
            errors.increment();
            Instant now = clock.instant();
            long skipped;
            synchronized (this) {
                if (lastLogged != null && now.isBefore(lastLogged.plus(QUIET))) {
                    unlogged++;
                    return;
                }
                skipped = unlogged;
                unlogged = 0;
                lastLogged = now;
            }
            if (skipped == 0) {
                log.error("Registry listener {} failed on {} of {} (index {}); the change stays applied. "
                        + "Further failures of this listener are logged at most once a minute",
                        name, event.kind(), event.instance().key(), event.index(), error);
            } else {
                log.error("Registry listener {} failed on {} of {} (index {}); the change stays applied. "
                        + "It failed {} more times since the last report, not logged",
                        name, event.kind(), event.instance().key(), event.index(), skipped, error);
            }
        }
    }
}
