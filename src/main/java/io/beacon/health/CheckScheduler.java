package io.beacon.health;

import java.time.Duration;

/**
 * Runs health-check rounds periodically. The production implementation wraps a
 * {@link java.util.concurrent.ScheduledExecutorService}; tests substitute one they trigger by hand, so
 * no test waits for an interval to pass.
 */
public interface CheckScheduler {

    /** A scheduled task that can be cancelled. */
    interface Handle {
        void cancel();
    }

    /**
     * Runs {@code task} after {@code initialDelay} and then every {@code interval}, until cancelled.
     * The task must be quick (it only starts asynchronous I/O).
     */
    Handle schedule(Runnable task, Duration initialDelay, Duration interval);
}
