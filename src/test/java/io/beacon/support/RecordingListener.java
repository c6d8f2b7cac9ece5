package io.beacon.support;

import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link RegistryListener} for tests without Spring: it records every {@link RegistryEvent} in
 * delivery order and hands each one, synchronously and on the delivering thread, to the listeners given,
 * for example {@code sweeper::on}. Pass it to {@code new InMemoryRegistry(listener)}.
 */
public final class RecordingListener implements RegistryListener {

    private final List<RegistryEvent> events = new CopyOnWriteArrayList<>();
    private final List<Consumer<RegistryEvent>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean recording = true;

    /** Forwards every later event to {@code listener}. */
    public RecordingListener forwardTo(Consumer<RegistryEvent> listener) {
        listeners.add(listener);
        return this;
    }

    /** Stops keeping events in memory (listeners still receive them); for long-running load tests. */
    public RecordingListener notRecording() {
        recording = false;
        return this;
    }

    @Override
    public void on(RegistryEvent event) {
        if (recording) {
            events.add(event);
        }
        for (Consumer<RegistryEvent> listener : listeners) {
            listener.accept(event);
        }
    }

    /** Every event recorded so far, in delivery order. */
    public List<RegistryEvent> events() {
        return List.copyOf(events);
    }

    /** The kinds of every event recorded so far, in delivery order. */
    public List<RegistryEvent.Kind> kinds() {
        return events.stream().map(RegistryEvent::kind).toList();
    }

    public void clear() {
        events.clear();
    }
}
