package io.beacon.watch;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/**
 * Watch metrics:
 * <ul>
 *   <li>{@code beacon_watchers{kind="long_poll"|"stream"}}: held blocking queries and open streams</li>
 *   <li>{@code beacon_watch_events_total}: registry changes fanned out to watchers (renewals excluded)</li>
 *   <li>{@code beacon_watch_dropped_total}: stream subscribers cut for falling too far behind</li>
 *   <li>{@code beacon_watch_wake_seconds}: per change that woke long polls, the time from the change to the
 *   last woken answer flushed to its connection</li>
 * </ul>
 */
@Component
class WatchMetrics implements MeterBinder {

    final AtomicInteger longPolls = new AtomicInteger();
    final AtomicInteger streams = new AtomicInteger();
    private final LongAdder events = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private volatile Clock clock = Clock.SYSTEM;
    private volatile Timer wake;

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("beacon.watchers", longPolls, AtomicInteger::get).tag("kind", "long_poll")
                .description("Watchers currently held or connected").register(registry);
        Gauge.builder("beacon.watchers", streams, AtomicInteger::get).tag("kind", "stream")
                .description("Watchers currently held or connected").register(registry);
        FunctionCounter.builder("beacon.watch.events", events, LongAdder::sum)
                .description("Registry changes fanned out to watchers").register(registry);
        FunctionCounter.builder("beacon.watch.dropped", dropped, LongAdder::sum)
                .description("Stream subscribers disconnected for falling too far behind").register(registry);
        clock = registry.config().clock();
        wake = Timer.builder("beacon.watch.wake")
                .description("Time from a change to the last long poll it woke having its answer flushed")
                .register(registry);
    }

    /** The monotonic time, in nanoseconds, of the meter registry's clock. */
    long now() {
        return clock.monotonicTime();
    }

    /** Records a wake-up whose change happened at {@code changedAt} ({@link #now}). */
    void woke(long changedAt) {
        Timer timer = wake;
        if (timer != null) {
            timer.record(now() - changedAt, TimeUnit.NANOSECONDS);
        }
    }

    void event() {
        events.increment();
    }

    void dropped() {
        dropped.increment();
    }

    long droppedCount() {
        return dropped.sum();
    }
}
