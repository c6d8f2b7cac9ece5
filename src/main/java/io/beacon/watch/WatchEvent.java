package io.beacon.watch;

import io.beacon.web.InstanceView;
import io.beacon.registry.RegistryEvent;
import java.util.Locale;

/**
 * A change as a stream carries it (the {@code data} of an SSE event).
 *
 * @param kind registered, updated, status_changed, deregistered or evicted
 * @param name the service
 * @param index the service's index after the change
 * @param instance the instance after the change (for removals, as it was when removed)
 */
public record WatchEvent(String kind, String name, long index, InstanceView instance) {

    public static WatchEvent of(RegistryEvent event) {
        return new WatchEvent(kindName(event.kind()), event.service().value(), event.index(),
                InstanceView.of(event.instance()));
    }

    /** The SSE event name of a change kind. */
    public static String kindName(RegistryEvent.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
