package io.beacon.outlier;

import io.beacon.background.PeriodicTask;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/** Calls {@link OutlierDetector#sweep} every {@code beacon.outlier.sweep-interval} on one daemon thread. */
class OutlierSweepTask implements SmartLifecycle {

    private final PeriodicTask periodic;

    OutlierSweepTask(OutlierDetector detector, Clock clock, OutlierProperties properties) {
        Duration interval = Duration.ofMillis(Math.max(10, properties.sweepInterval().toMillis()));
        this.periodic = new PeriodicTask("beacon-outlier", interval, () -> detector.sweep(clock.instant()));
    }

    @Override
    public void start() {
        periodic.start();
    }

    @Override
    public void stop() {
        periodic.stop();
    }

    @Override
    public boolean isRunning() {
        return periodic.isRunning();
    }
}
