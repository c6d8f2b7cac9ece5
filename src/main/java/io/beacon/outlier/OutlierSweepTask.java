package io.beacon.outlier;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Calls {@link OutlierDetector#sweep} every {@code beacon.outlier.sweep-interval} on one daemon thread. */
class OutlierSweepTask implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutlierSweepTask.class);

    private final OutlierDetector detector;
    private final Clock clock;
    private final long intervalMillis;
    private volatile ScheduledExecutorService executor;

    OutlierSweepTask(OutlierDetector detector, Clock clock, OutlierProperties properties) {
        this.detector = detector;
        this.clock = clock;
        this.intervalMillis = Math.max(10, properties.sweepInterval().toMillis());
    }

    @Override
    public void start() {
        ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "beacon-outlier");
            t.setDaemon(true);
            return t;
        });
        exec.scheduleWithFixedDelay(() -> {
            try {
                detector.sweep(clock.instant());
            } catch (RuntimeException e) {
                log.error("Outlier sweep failed; it will run again", e);
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        executor = exec;
    }

    @Override
    public void stop() {
        ScheduledExecutorService exec = executor;
        if (exec != null) {
            exec.shutdownNow();
            executor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
