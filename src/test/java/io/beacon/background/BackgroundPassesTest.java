package io.beacon.background;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * A background pass cannot die silently: a run that throws, an {@link Error} included, is counted in
 * {@code beacon.background.failures{task}} and the pass runs again at its next interval.
 */
class BackgroundPassesTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ThreadPoolTaskScheduler scheduler = BackgroundThreads.scheduler("test-background-", 1, false);

    /** A pass whose runs fail in turn with an Error and a RuntimeException, then succeed. */
    static final class Failing implements BackgroundPass {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger succeeded = new AtomicInteger();

        @Override
        public String passName() {
            return "Failing sweep";
        }

        @Override
        public Duration passInterval() {
            return Duration.ofMillis(20);
        }

        @Override
        public void runPass() {
            int run = runs.incrementAndGet();
            if (run == 1) {
                throw new OutOfMemoryError("simulated");
            }
            if (run == 2) {
                throw new IllegalStateException("simulated");
            }
            succeeded.incrementAndGet();
        }
    }

    @AfterEach
    void stop() {
        scheduler.shutdown();
    }

    private double failures(String task) {
        return meters.get("beacon.background.failures").tag("task", task).counter().count();
    }

    @Test
    void theCounterExistsAtZeroFromTheStart() {
        new BackgroundPasses(List.of(new Failing()), scheduler, meters);
        assertThat(failures("failing-sweep")).isZero();
    }

    @Test
    void aFailedRunIsCountedAndDoesNotThrow() {
        Failing pass = new Failing();
        BackgroundPasses passes = new BackgroundPasses(List.of(pass), scheduler, meters);
        Runnable run = passes.guarded(pass);

        run.run();
        run.run();
        run.run();

        assertThat(pass.runs).hasValue(3);
        assertThat(pass.succeeded).hasValue(1);
        assertThat(failures("failing-sweep")).isEqualTo(2.0);
    }

    @Test
    void aScheduledPassRunsAgainAfterAnErrorAndAnException() {
        scheduler.initialize();
        Failing pass = new Failing();
        BackgroundPasses passes = new BackgroundPasses(List.of(pass), scheduler, meters);
        passes.start();
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pass.succeeded.get()).isGreaterThanOrEqualTo(2));
            assertThat(failures("failing-sweep")).isEqualTo(2.0);
            assertThat(passes.isRunning()).isTrue();
        } finally {
            passes.stop();
        }
    }

    @Test
    void aFailingTaskOnACountedSchedulerIsCountedAndTheThreadGoesOn() {
        BackgroundThreads.counted(scheduler, meters, "watch").initialize();
        AtomicInteger after = new AtomicInteger();

        scheduler.execute(() -> {
            throw new IllegalStateException("simulated");
        });
        scheduler.execute(after::incrementAndGet);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(after).hasValue(1);
            assertThat(failures("watch")).isEqualTo(1.0);
        });
    }
}
