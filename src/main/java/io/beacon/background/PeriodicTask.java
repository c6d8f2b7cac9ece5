package io.beacon.background;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task with a fixed delay on its own daemon thread, between {@link #start()} and {@link #stop()}.
 * A failing run is logged and the next one still happens. Background passes (expiry, outlier ejections)
 * use it from their {@code SmartLifecycle} methods, so tests can call the pass directly instead.
 */
public final class PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final long intervalMillis;
    private final Runnable task;
    private volatile ScheduledExecutorService executor;

    /**
     * @param name the thread's name, also used in the log line of a failed run
     * @param interval delay between the end of one run and the start of the next
     * @param task the pass to run
     */
    public PeriodicTask(String name, Duration interval, Runnable task) {
        this.name = name;
        this.intervalMillis = interval.toMillis();
        this.task = task;
    }

    public synchronized void start() {
        if (executor != null) {
            return;
        }
        ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        exec.scheduleWithFixedDelay(this::runOnce, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        executor = exec;
    }

    private void runOnce() {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("{} failed; it will run again", name, e);
        }
    }

    public synchronized void stop() {
        ScheduledExecutorService exec = executor;
        if (exec != null) {
            exec.shutdownNow();
            executor = null;
        }
    }

    public boolean isRunning() {
        return executor != null;
    }
}
