package io.beacon.background;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Schedules every {@link BackgroundPass} bean on the background scheduler between start and stop. A run
 * that throws anything (an {@link Error} included) is logged at ERROR, counted in
 * {@code beacon_background_failures_total{task}} (the pass name, spaces as dashes: {@code expiry-sweep})
 * and the pass runs again at its next interval: no failure silently ends a pass. Should memory run out,
 * the JVM flag {@code -XX:+ExitOnOutOfMemoryError} (set wherever Beacon's own files launch it) stops the
 * process instead, so a supervisor restarts it.
 */
@Component
class BackgroundPasses implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BackgroundPasses.class);

    private final List<BackgroundPass> passes;
    private final TaskScheduler scheduler;
    private final MeterRegistry meters;
    private final List<ScheduledFuture<?>> running = new ArrayList<>();

    BackgroundPasses(List<BackgroundPass> passes, @Qualifier(BackgroundThreads.SCHEDULER) TaskScheduler scheduler,
            MeterRegistry meters) {
        this.passes = List.copyOf(passes);
        this.scheduler = scheduler;
        this.meters = meters;
        this.passes.forEach(this::failures); // present from the start, at 0
    }

    /** The metric's {@code task} tag of a pass. */
    static String taskName(BackgroundPass pass) {
        return pass.passName().trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    private Counter failures(BackgroundPass pass) {
        return Counter.builder("beacon.background.failures").tag("task", taskName(pass))
                .description("Runs of a background task that failed (the task runs again next interval)")
                .register(meters);
    }

    /** {@code pass} guarded: whatever a run throws is logged and counted, and never ends the schedule. */
    Runnable guarded(BackgroundPass pass) {
        Counter failures = failures(pass);
        return () -> {
            try {
                pass.runPass();
            } catch (Throwable e) { // an Error too: a pass that dies silently is the zombie we guard against
                failures.increment();
                log.error("Background pass '{}' failed; it will run again in {}", pass.passName(),
                        pass.passInterval(), e);
            }
        };
    }

    @Override
    public synchronized void start() {
        if (!running.isEmpty()) {
            return;
        }
        for (BackgroundPass pass : passes) {
            running.add(scheduler.scheduleWithFixedDelay(guarded(pass),
                    scheduler.getClock().instant().plus(pass.passInterval()), pass.passInterval()));
        }
    }

    @Override
    public synchronized void stop() {
        running.forEach(f -> f.cancel(false));
        running.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return !running.isEmpty();
    }
}
