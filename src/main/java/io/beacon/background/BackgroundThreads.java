package io.beacon.background;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The one way Beacon owns a background thread: a Spring-managed {@link ThreadPoolTaskScheduler} or
 * {@link ThreadPoolTaskExecutor} declared as a bean. Spring initialises it after construction, pauses it
 * with the other lifecycle beans and shuts it down when the context closes; its threads are started on
 * the first task, never in a constructor. Micrometer's executor metrics ({@code executor_*{name=bean}})
 * come with it. Code that needs a pool gets the bean injected; nothing else creates threads.
 */
public final class BackgroundThreads {

    /**
     * Bean name (and qualifier) of the background scheduler: two threads {@code beacon-background-N} that
     * run the {@link BackgroundPass}es and start health-check rounds.
     */
    public static final String SCHEDULER = "beaconBackgroundScheduler";

    private static final Logger log = LoggerFactory.getLogger(BackgroundThreads.class);

    private BackgroundThreads() {
    }

    /**
     * Makes every task of {@code scheduler} that throws (an {@link Error} included) logged at ERROR and
     * counted in {@code beacon_background_failures_total{task}}; the thread goes on with its next task.
     */
    public static ThreadPoolTaskScheduler counted(ThreadPoolTaskScheduler scheduler, MeterRegistry meters, String task) {
        Counter failures = Counter.builder("beacon.background.failures").tag("task", task)
                .description("Runs of a background task that failed (the task runs again next interval)")
                .register(meters);
        scheduler.setErrorHandler(e -> {
            failures.increment();
            log.error("A task on the {} threads failed; they go on with the next one", task, e);
        });
        return scheduler;
    }

    /**
     * A scheduler of {@code threads} daemon threads named {@code prefix1, prefix2...}. Cancelled tasks
     * leave its queue at once. At context close it stops taking tasks, unless {@code serving}: a scheduler
     * that serves held requests keeps running tasks until it is destroyed (after every bean that uses it,
     * and after the web server's graceful stop, which waits for those requests), and is not paused with a
     * paused context either (Spring's {@code ConfigurableApplicationContext.pause()}, which the test
     * framework applies to cached contexts not in use), since a paused scheduler would leave them held.
     */
    public static ThreadPoolTaskScheduler scheduler(String prefix, int threads, boolean serving) {
        ThreadPoolTaskScheduler scheduler = serving ? new ServingScheduler() : new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(threads);
        scheduler.setThreadNamePrefix(prefix);
        scheduler.setDaemon(true);
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setAcceptTasksAfterContextClose(serving);
        return scheduler;
    }

    /** A scheduler a context pause leaves running. */
    private static final class ServingScheduler extends ThreadPoolTaskScheduler {
        @Override
        public boolean isPauseable() {
            return false;
        }
    }

    /**
     * A fixed pool of {@code threads} daemon threads with a queue of {@code queueCapacity} tasks; a task
     * beyond it is rejected ({@link org.springframework.core.task.TaskRejectedException}).
     */
    public static ThreadPoolTaskExecutor pool(String prefix, int threads, int queueCapacity) {
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setCorePoolSize(threads);
        pool.setMaxPoolSize(threads);
        pool.setQueueCapacity(queueCapacity);
        pool.setThreadNamePrefix(prefix);
        pool.setDaemon(true);
        return pool;
    }
}
