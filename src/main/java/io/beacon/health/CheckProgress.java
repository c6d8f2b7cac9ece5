package io.beacon.health;

import java.time.Instant;

/**
 * Where one instance's active check stands: its consecutive results (each capped at the count its
 * verdict needs) and its keep-alive state. Shared between members in a cluster.
 *
 * @param spec the check it belongs to ({@code CheckSpec.toString()}); progress of another check is ignored
 * @param failures consecutive failed runs, at most {@code failuresBeforeDown}
 * @param successes consecutive passing runs, at most {@code successesBeforeUp}
 * @param renewedByCheck the lease renewal the check made last (or the lease's renewal when the check started)
 * @param heartbeating true once the instance renewed its lease on its own: the check no longer renews it
 * @param lastAnswer the last run's result in a few words ({@code HTTP 503}, {@code connection refused}), or null
 *     before the first run
 */
public record CheckProgress(String spec, int failures, int successes, Instant renewedByCheck,
        boolean heartbeating, String lastAnswer) {
}
