package io.beacon.health;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;

/**
 * {@link CheckScheduler} on the background scheduler (a Spring-managed bean). Check tasks only start
 * asynchronous I/O, so a couple of threads dispatch thousands of checks; the I/O itself runs on
 * {@link CheckProbe}'s bounded pools. Once the application is closing, new checks are not scheduled.
 */
final class ExecutorCheckScheduler implements CheckScheduler {

    private static final Logger log = LoggerFactory.getLogger(ExecutorCheckScheduler.class);

    private final TaskScheduler scheduler;

    ExecutorCheckScheduler(TaskScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public Handle schedule(Runnable task, Duration initialDelay, Duration interval) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("Health check round failed to start; it will run again", e);
            }
        };
        ScheduledFuture<?> future;
        try {
            future = scheduler.scheduleAtFixedRate(guarded, scheduler.getClock().instant().plus(initialDelay),
                    interval);
        } catch (TaskRejectedException e) {
            return () -> {
            }; // shutting down
        }
        return () -> future.cancel(false);
    }
}
