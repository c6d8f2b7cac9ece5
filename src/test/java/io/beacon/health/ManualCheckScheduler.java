package io.beacon.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link CheckScheduler} for tests: records what was scheduled and runs rounds only when told to. */
public final class ManualCheckScheduler implements CheckScheduler {

    /** One scheduled task. */
    public static final class Task implements Handle {
        final Runnable task;
        final Duration initialDelay;
        final Duration interval;
        volatile boolean cancelled;

        Task(Runnable task, Duration initialDelay, Duration interval) {
            this.task = task;
            this.initialDelay = initialDelay;
            this.interval = interval;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final List<Task> tasks = new CopyOnWriteArrayList<>();

    @Override
    public Handle schedule(Runnable task, Duration initialDelay, Duration interval) {
        Task t = new Task(task, initialDelay, interval);
        tasks.add(t);
        return t;
    }

    public List<Task> tasks() {
        return tasks;
    }

    public List<Task> active() {
        return tasks.stream().filter(t -> !t.cancelled).toList();
    }

    /** Runs one round of every task that is not cancelled. */
    public void runRound() {
        active().forEach(t -> t.task.run());
    }
}
