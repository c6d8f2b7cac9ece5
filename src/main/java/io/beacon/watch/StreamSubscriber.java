package io.beacon.watch;

import io.beacon.registry.ServiceName;
import io.beacon.web.HeldConnection;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * One open change stream: a bounded queue of ready-made SSE frames, drained with Servlet non-blocking
 * writes, so no thread ever waits for a slow client. {@link #offer} only enqueues (it is called on the
 * registry's publishing thread); draining happens on the watch threads or on the container thread
 * that reports the socket writable again. A subscriber whose queue is full is cut (and counted): it
 * resumes with {@code Last-Event-ID}.
 *
 * <p>Keep-alive: a stream that has had nothing enqueued for {@code keepAlive} gets a {@code : keep-alive}
 * comment, so the first one comes {@code keepAlive} after the snapshot when nothing changes, and the
 * next each {@code keepAlive} of idleness after that. One timer per stream, on the watch threads,
 * rescheduled to the moment the stream would have been idle that long.
 *
 * <p>Gone clients: a client that closed its socket is noticed only by a write, and the first write after
 * the close still succeeds (the peer answers it with a reset). So {@link #PROBE_DELAY} after each keep-alive
 * (or half the keep-alive, if shorter) an empty line ({@link Frames#PROBE}, invisible to SSE clients) is written: it fails on a closed
 * connection, which ends the stream, so a gone client is released at most keep-alive plus one second after
 * it left.
 *
 * <p>Where the frames go ({@link Out}): the servlet response of an asynchronous request, or, for a lean stream, the
 * stream's {@link HeldConnection} once it is held ({@link #held}), which also reports a client that left at once.
 */
final class StreamSubscriber implements WriteListener, AsyncListener, HeldConnection.Holder {

    /** Where a stream's frames go. */
    interface Out {

        /** Whether more can be written now; when not, the subscriber is told when it can ({@link #onWritePossible}). */
        boolean isReady() throws IOException;

        void write(byte[] frame) throws IOException;

        void flush() throws IOException;

        /** Ends the response; its connection closes. */
        void close();
    }

    /** The servlet way: an asynchronous request's output, driven with non-blocking writes. */
    static Out servlet(AsyncContext async, ServletOutputStream out) {
        return new Out() {
            @Override
            public boolean isReady() {
                return out.isReady();
            }

            @Override
            public void write(byte[] frame) throws IOException {
                out.write(frame);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() {
                try {
                    async.complete();
                } catch (RuntimeException e) {
                    // already completed by the container (client gone)
                }
            }
        };
    }

    /** The lean way: a held connection. */
    static Out lean(HeldConnection connection) {
        return new Out() {
            @Override
            public boolean isReady() {
                return connection.isReady();
            }

            @Override
            public void write(byte[] frame) throws IOException {
                connection.write(frame);
            }

            @Override
            public void flush() throws IOException {
                connection.flush();
            }

            @Override
            public void close() {
                connection.close();
            }
        };
    }

    /** How long after a keep-alive the probe that detects a closed connection is written (at most). */
    static final Duration PROBE_DELAY = Duration.ofSeconds(1);

    /** Why a stream ended. */
    enum End { CLIENT, OVERFLOW, SHUTDOWN }

    /** Null until a lean stream is held. */
    private volatile Out out;
    private final ArrayBlockingQueue<byte[]> queue;
    private final ThreadPoolTaskScheduler threads;
    private final Clock clock;
    private final long keepAliveMillis;
    private final long probeDelayMillis;
    private final Consumer<End> onEnd;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** When a frame was last enqueued, in {@link #clock} millis. */
    private volatile long lastEnqueued;
    private volatile ScheduledFuture<?> keepAliveTimer;
    /**
     * Set by the container's first {@code onWritePossible}, which comes after the request thread has left
     * the servlet: until then the sender pool must not touch the response the request thread still owns.
     */
    private volatile boolean writable;
    private boolean unflushed;

    /** The watched service, or null for the all-services stream. */
    final ServiceName service;
    /** Changes at or below this index are already covered (set under the watch's lock before subscribing). */
    volatile long after;
    /** For the all-services stream after a snapshot: each service's index in it. */
    volatile Map<ServiceName, Long> snapshotIndexes = Map.of();

    /**
     * @param out where the frames go; null for a lean stream, until it is held
     * @param threads the watch threads: they drain the queue and keep the keep-alive timer
     * @param keepAlive idleness after which a keep-alive comment is sent
     */
    StreamSubscriber(ServiceName service, Out out, int capacity, ThreadPoolTaskScheduler threads, Duration keepAlive,
            Consumer<End> onEnd) {
        this.service = service;
        this.out = out;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.threads = threads;
        this.clock = threads.getClock();
        this.keepAliveMillis = keepAlive.toMillis();
        this.probeDelayMillis = Math.min(PROBE_DELAY.toMillis(), Math.max(1, keepAliveMillis / 2));
        this.onEnd = onEnd;
        this.lastEnqueued = clock.millis();
    }

    /** Room left in the queue. */
    int room() {
        return queue.remainingCapacity();
    }

    /** Enqueues a frame; never blocks. False when the stream has ended (or ends now because it is full). */
    boolean offer(byte[] frame) {
        if (ended.get()) {
            return false;
        }
        if (!queue.offer(frame)) {
            end(End.OVERFLOW);
            return false;
        }
        lastEnqueued = clock.millis();
        if (scheduled.compareAndSet(false, true)) {
            run(this::drainTask);
        }
        return true;
    }

    /** Starts the keep-alive timer; called once the stream is subscribed (its first frame enqueued). */
    void startKeepAlive() {
        scheduleKeepAlive(keepAliveMillis - (clock.millis() - lastEnqueued));
    }

    private void scheduleKeepAlive(long delayMillis) {
        if (ended.get()) {
            return;
        }
        try {
            keepAliveTimer = threads.schedule(this::keepAliveDue, clock.instant().plusMillis(Math.max(0, delayMillis)));
        } catch (RejectedExecutionException e) {
            return; // shutting down: the stream is being ended
        }
        if (ended.get()) {
            cancelKeepAlive();
        }
    }

    /** The keep-alive timer: a comment when the stream has been idle for the interval, else wait for the rest. */
    private void keepAliveDue() {
        long idle = clock.millis() - lastEnqueued;
        if (idle >= keepAliveMillis) {
            if (offer(Frames.KEEP_ALIVE)) {
                scheduleProbe();
                scheduleKeepAlive(keepAliveMillis);
            }
        } else {
            scheduleKeepAlive(keepAliveMillis - idle);
        }
    }

    private void scheduleProbe() {
        try {
            threads.schedule(this::probe, clock.instant().plusMillis(probeDelayMillis));
        } catch (RejectedExecutionException e) {
            // shutting down: the stream is being ended
        }
    }

    /** Writes the probe unless the stream has ended; it does not count as activity for the keep-alive. */
    private void probe() {
        if (!ended.get() && queue.offer(Frames.PROBE) && scheduled.compareAndSet(false, true)) {
            run(this::drainTask);
        }
    }

    private void cancelKeepAlive() {
        ScheduledFuture<?> timer = keepAliveTimer;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    boolean isOpen() {
        return !ended.get();
    }

    private void drainTask() {
        scheduled.set(false);
        drain();
    }

    /** Writes queued frames while the socket accepts them; the container calls back when it does again. */
    private synchronized void drain() {
        if (ended.get() || !writable) {
            return;
        }
        Out target = out;
        try {
            while (target.isReady()) {
                byte[] frame = queue.poll();
                if (frame == null) {
                    if (!unflushed) {
                        return;
                    }
                    unflushed = false;
                    target.flush();
                    continue;
                }
                target.write(frame);
                unflushed = true;
            }
        } catch (IOException | IllegalStateException e) {
            end(End.CLIENT);
        }
    }

    /** Ends the stream once; {@code onEnd} unsubscribes it and counts it. */
    void end(End why) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        queue.clear();
        cancelKeepAlive();
        onEnd.accept(why);
        run(this::complete);
    }

    private void run(Runnable task) {
        try {
            threads.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // shutting down: finish on this thread rather than leave the stream open
        }
    }

    private synchronized void complete() {
        Out target = out;
        if (target != null) {
            target.close();
        }
    }

    @Override
    public void held(HeldConnection connection) {
        out = lean(connection);
        if (ended.get()) {
            complete();
            return;
        }
        onWritePossible();
    }

    @Override
    public void writable() {
        onWritePossible();
    }

    @Override
    public void interrupted(boolean gone) {
        end(End.CLIENT);
    }

    @Override
    public void onWritePossible() {
        writable = true;
        drain();
    }

    @Override
    public void onError(Throwable t) {
        end(End.CLIENT);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        end(End.CLIENT);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        end(End.SHUTDOWN);
    }

    @Override
    public void onError(AsyncEvent event) {
        end(End.CLIENT);
        complete(); // completing inside the callback keeps the container from an error dispatch
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
