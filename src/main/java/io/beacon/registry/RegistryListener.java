package io.beacon.registry;

/**
 * Receives every {@link RegistryEvent}; discovered as a Spring bean and called by {@link RegistryEvents}.
 *
 * <p>Events arrive after the change is applied and the service's lock is released, in index order per
 * service, one at a time per service (events of different services may arrive on different threads at
 * the same time). All {@link Phase#MUST_SEE} listeners see an event before any {@link Phase#BEST_EFFORT}
 * one; within a phase, listeners run in Spring's order ({@code @Order}, then registration order). A
 * write returns to its caller only once every listener has seen its event, unless the write was made
 * from inside a listener: its event is then delivered right after the one being delivered.
 *
 * <p>A listener that throws is logged and counted ({@code beacon.event.listener.errors{listener}}); the
 * write keeps its result and the other listeners still run. Renewals by a plain heartbeat are delivered
 * at once on the heartbeat's thread, outside the per-service order: they change nothing a watcher sees
 * and carry the unchanged index.
 */
@FunctionalInterface
public interface RegistryListener {

    /** When a listener runs relative to the others, and what it may rely on. */
    enum Phase {
        /**
         * State that must follow every change exactly (the expiry deadline queue): runs first, before
         * any best-effort listener can delay or fail. Keep it short; never write to the registry.
         */
        MUST_SEE,
        /**
         * Everything derived for readers (watch fan-out, Eureka delta, caches, metrics, check and
         * breaker bookkeeping): runs after every must-see listener. May write back to the registry.
         */
        BEST_EFFORT
    }

    void on(RegistryEvent event);

    default Phase phase() {
        return Phase.BEST_EFFORT;
    }
}
