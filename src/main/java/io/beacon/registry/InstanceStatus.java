package io.beacon.registry;

/**
 * The effective status of an instance. Only {@link #UP} instances are returned by discovery.
 *
 * <ul>
 *   <li>{@code UP}: lease current, no failing check, not drained.</li>
 *   <li>{@code DOWN}: its health check is failing, or the instance itself reported DOWN.</li>
 *   <li>{@code STARTING}: the instance reported it is still starting (Eureka clients do).</li>
 *   <li>{@code STALE}: heartbeats missed for longer than the lease; evicted later.</li>
 *   <li>{@code OUT_OF_SERVICE}: drained by an operator; heartbeats do not undo it.</li>
 * </ul>
 */
public enum InstanceStatus {
    UP, DOWN, STARTING, STALE, OUT_OF_SERVICE
}
