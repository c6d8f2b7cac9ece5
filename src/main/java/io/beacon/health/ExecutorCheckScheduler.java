package io.beacon.health;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CheckScheduler} on one daemon scheduler thread. Check tasks only start asynchronous I/O, so a
 * single thread dispatches thousands of checks; the I/O itself runs on {@link CheckProbe}'s bounded pools.
 */
final class ExecutorCheckScheduler implements CheckScheduler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExecutorCheckScheduler.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "beacon-checks");
        t.setDaemon(true);
        return t;
    });

    @Override
    public Handle schedule(Runnable task, Duration initialDelay, Duration interval) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("Health check round failed to start; it will run again", e);
            }
        };
        ScheduledFuture<?> future = executor.scheduleAtFixedRate(guarded, initialDelay.toMillis(),
                interval.toMillis(), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
