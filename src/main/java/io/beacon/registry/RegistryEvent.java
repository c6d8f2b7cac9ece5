package io.beacon.registry;

/**
 * A change to the registry, delivered to the {@link RegistryListener}s after the change is visible to
 * readers, in index order per service. {@link #index()} is the service's index after the change; renewals change nothing a
 * watcher sees and carry the unchanged index.
 */
public sealed interface RegistryEvent {

    /** What happened, for serialisation and metrics. */
    enum Kind { REGISTERED, UPDATED, STATUS_CHANGED, RENEWED, DEREGISTERED, EVICTED }

    /** The instance after the change (for removals, as it was when removed). */
    Instance instance();

    long index();

    Kind kind();

    default ServiceName service() {
        return instance().service();
    }

    /** True for events that change what a watcher of the service sees. */
    default boolean isChange() {
        return kind() != Kind.RENEWED;
    }

    /** A new instance id in the service. */
    record Registered(Instance instance, long index) implements RegistryEvent {
        public Kind kind() {
            return Kind.REGISTERED;
        }
    }

    /** An existing instance re-registered or changed its description, without a status change. */
    record Updated(Instance instance, Instance previous, long index) implements RegistryEvent {
        public Kind kind() {
            return Kind.UPDATED;
        }
    }

    /** The effective status or ejection changed (STALE, DOWN, drained, back UP ...). */
    record StatusChanged(Instance instance, Instance previous, long index) implements RegistryEvent {
        public Kind kind() {
            return Kind.STATUS_CHANGED;
        }
    }

    /**
     * A heartbeat (or an identical re-registration) renewed the lease and changed nothing a watcher
     * sees; {@code previous} holds the lease before the renewal.
     */
    record Renewed(Instance instance, Instance previous, long index) implements RegistryEvent {
        public Kind kind() {
            return Kind.RENEWED;
        }
    }

    /** The instance deregistered itself. */
    record Deregistered(Instance instance, long index) implements RegistryEvent {
        public Kind kind() {
            return Kind.DEREGISTERED;
        }
    }

    /** The sweeper removed the instance after its lease lapsed. */
    record Evicted(Instance instance, long index) implements RegistryEvent {
        public Kind kind() {
            return Kind.EVICTED;
        }
    }
}
