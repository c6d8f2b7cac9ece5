package io.beacon.registry;

/** The instance is not registered (or was evicted); for heartbeats the client's cue to re-register. */
public class InstanceNotFoundException extends RuntimeException {

    private final InstanceKey key;

    public InstanceNotFoundException(InstanceKey key) {
        super("Instance '" + key.id() + "' of service '" + key.service() + "' is not registered.");
        this.key = key;
    }

    public InstanceKey key() {
        return key;
    }
}
