package io.beacon.watch;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/**
 * Watch metrics:
 * <ul>
 *   <li>{@code beacon_watchers{kind="long_poll"|"stream"}}: held blocking queries and open streams</li>
 *   <li>{@code beacon_watch_events_total}: registry changes fanned out to watchers (renewals excluded)</li>
 *   <li>{@code beacon_watch_dropped_total}: stream subscribers cut for falling too far behind</li>
 * </ul>
 */
@Component
class WatchMetrics implements MeterBinder {

    final AtomicInteger longPolls = new AtomicInteger();
    final AtomicInteger streams = new AtomicInteger();
    private final LongAdder events = new LongAdder();
    private final LongAdder dropped = new LongAdder();

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
