package io.beacon.registry;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * A registry-wide change counter: moves on every {@link RegistryEvent} of every service that changes
 * what a reader sees ({@link RegistryEvent#isChange()}: not on plain renewals, which carry the unchanged
 * index). Events are delivered after the change they describe, so an answer built from a snapshot
 * read after {@link #get()} is at least as new as the value read; the key of {@link SharedAnswer}s over
 * the whole registry.
 */
@Component
public class RegistryVersion implements RegistryListener {

    private final AtomicLong version = new AtomicLong();

    @Override
    public void on(RegistryEvent event) {
        if (event.isChange()) {
            version.incrementAndGet();
        }
    }

    /** The current value; read it before the snapshot an answer is built from. */
    public long get() {
        return version.get();
    }
}
