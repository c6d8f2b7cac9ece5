package io.beacon.background;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/** Schedules every {@link BackgroundPass} bean on the background scheduler between start and stop. */
@Component
class BackgroundPasses implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BackgroundPasses.class);

    private final List<BackgroundPass> passes;
    private final TaskScheduler scheduler;
    private final List<ScheduledFuture<?>> running = new ArrayList<>();

    BackgroundPasses(List<BackgroundPass> passes, @Qualifier(BackgroundThreads.SCHEDULER) TaskScheduler scheduler) {
        this.passes = List.copyOf(passes);
        this.scheduler = scheduler;
    }

    @Override
    public synchronized void start() {
        if (!running.isEmpty()) {
            return;
        }
        for (BackgroundPass pass : passes) {
            Runnable guarded = () -> {
                try {
                    pass.runPass();
                } catch (RuntimeException e) {
                    log.error("Background pass '{}' failed; it will run again", pass.passName(), e);
                }
            };
            running.add(scheduler.scheduleWithFixedDelay(guarded,
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
