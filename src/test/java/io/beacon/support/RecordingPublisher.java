package io.beacon.support;

import io.beacon.registry.RegistryEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.context.ApplicationEventPublisher;

/**
 * An {@link ApplicationEventPublisher} for tests without Spring: it records every
 * {@link RegistryEvent} in publication order and hands each one, synchronously and on the publishing
 * thread (as Spring does), to the listeners given, for example {@code sweeper::on}.
 */
public final class RecordingPublisher implements ApplicationEventPublisher {

    private final List<RegistryEvent> events = new CopyOnWriteArrayList<>();
    private final List<Consumer<RegistryEvent>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean recording = true;

    /** Forwards every later event to {@code listener}. */
    public RecordingPublisher forwardTo(Consumer<RegistryEvent> listener) {
        listeners.add(listener);
        return this;
    }

    /** Stops keeping events in memory (listeners still receive them); for long-running load tests. */
    public RecordingPublisher notRecording() {
        recording = false;
        return this;
    }

    @Override
    public void publishEvent(Object event) {
        if (!(event instanceof RegistryEvent e)) {
            throw new AssertionError("unexpected event type " + event);
        }
        if (recording) {
            events.add(e);
        }
        for (Consumer<RegistryEvent> listener : listeners) {
            listener.accept(e);
        }
    }

    /** Every event recorded so far, in publication order. */
    public List<RegistryEvent> events() {
        return List.copyOf(events);
    }

    /** The kinds of every event recorded so far, in publication order. */
    public List<RegistryEvent.Kind> kinds() {
        return events.stream().map(RegistryEvent::kind).toList();
    }

    public void clear() {
        events.clear();
    }
}
