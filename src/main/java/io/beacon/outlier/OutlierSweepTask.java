package io.beacon.outlier;

import io.beacon.background.BackgroundPass;
import java.time.Clock;
import java.time.Duration;

/** Calls {@link OutlierDetector#sweep} every {@code beacon.outlier.sweep-interval} on the background scheduler. */
class OutlierSweepTask implements BackgroundPass {

    private final OutlierDetector detector;
    private final Clock clock;
    private final Duration interval;

    OutlierSweepTask(OutlierDetector detector, Clock clock, OutlierProperties properties) {
        this.detector = detector;
        this.clock = clock;
        this.interval = Duration.ofMillis(Math.max(10, properties.sweepInterval().toMillis()));
    }

    @Override
    public String passName() {
        return "outlier sweep";
    }

    @Override
    public Duration passInterval() {
        return interval;
    }

    @Override
    public void runPass() {
        detector.sweep(clock.instant());
    }
}
