package io.beacon.discovery;

import io.beacon.watch.Waiter;
import io.beacon.web.HeldConnection;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One held blocking discovery request: a raw Servlet {@link AsyncContext}, so it holds no thread and
 * nothing of Spring MVC's async machinery. It is answered exactly once, by whichever comes first: a
 * wake-up (the watch threads write an answer shared by every poll with the same {@link #key}), its own
 * timer at the wait ({@link #expire}, on the watch threads), or, should that timer not have run, the
 * container's later async timeout (the backstop); a timeout answers the current state. Its monitor orders
 * them. An answer
 * is flushed before the request is completed, so that the client does not wait for the container's
 * completion dispatch and request recycling.
 * <p>
 * A client that closes its connection is noticed by {@link #probe}: the container reports nothing for a held
 * request without a body, so the request's input is watched ({@link #watchInput}, a read listener, which lets
 * {@code available()} try a non-blocking read on the connection) and probed now and then.
 * <p>
 * A lean poll is held by its connection instead ({@link HeldConnection}, {@link #held}): no async request, no
 * container timeout and no probing (the connection reports a client that left); its answer is written by the
 * connection, which then gives it back to the container for the client's next request.
 */
final class LongPoll implements Waiter, AsyncListener, HeldConnection.Holder {

    /** The filter set: polls of one service with equal keys get the same answer. */
    final Object key;
    private final Supplier<LongPollAnswer> answer;
    private final Consumer<Waiter> onEnd;
    private final AtomicBoolean counted = new AtomicBoolean();
    private AsyncContext async;
    private HeldConnection held;
    private Runnable whenHeld;
    /** A lean poll was to be answered before its connection was handed over: answered when it is. */
    private boolean answerWhenHeld;
    private boolean answered;
    private ScheduledFuture<?> timer;

    LongPoll(Object key, Supplier<LongPollAnswer> answer, Consumer<Waiter> onEnd) {
        this.key = key;
        this.answer = answer;
        this.onEnd = onEnd;
    }

    /** Attaches the started async request; called before the poll is parked. */
    void hold(AsyncContext context) {
        this.async = context;
        context.addListener(this);
    }

    /** Holds the poll by its connection: {@code start} parks it once the connection is held. */
    void holdLean(Runnable start) {
        this.whenHeld = start;
    }

    @Override
    public void held(HeldConnection connection) {
        boolean answerNow;
        synchronized (this) {
            if (answered) {
                return; // interrupted first
            }
            held = connection;
            answerNow = answerWhenHeld;
        }
        if (answerNow) {
            answer(current());
        } else {
            whenHeld.run();
        }
    }

    @Override
    public void interrupted(boolean gone) {
        if (!gone) {
            answer(current()); // the client sent bytes while waiting: it gets the service as it is now
            return;
        }
        synchronized (this) {
            answered = true;
            disarm();
        }
        onEnd.accept(this);
    }

    /**
     * Makes the held request's input readable without blocking, for {@link #probe}: a read listener on a
     * request without a body is told at once that all of it was read, and afterwards lets {@code available()}
     * try a non-blocking read. False when the container does not allow it (the poll is then released at its
     * wait only).
     */
    boolean watchInput() {
        try {
            async.getRequest().getInputStream().setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() {
                    // a blocking GET has no body
                }

                @Override
                public void onAllDataRead() {
                    // at once, for a request without a body
                }

                @Override
                public void onError(Throwable t) {
                    probe();
                }
            });
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether the client is still there: a non-blocking read on the held connection finds its end when the
     * client closed it (or the bytes of a next request, which a waiting client does not send). Either way the
     * poll is answered now with the service as it is: written to a closed connection, that releases it; a
     * client still reading just gets an early answer. Returns true when it answered.
     */
    boolean probe() {
        boolean gone;
        synchronized (this) {
            if (answered) {
                return false;
            }
            try {
                gone = async.getRequest().getInputStream().available() > 0;
            } catch (IOException | RuntimeException e) {
                gone = true;
            }
        }
        if (gone) {
            answer(current());
        }
        return gone;
    }

    /** True once answered (or failed). */
    synchronized boolean answered() {
        return answered;
    }

    /** Attaches the timer that will {@link #expire} the poll; cancelled at once when already answered. */
    void arm(ScheduledFuture<?> timeout) {
        synchronized (this) {
            if (!answered) {
                timer = timeout;
                return;
            }
        }
        timeout.cancel(false);
    }

    /** The wait elapsed (the poll's own timer): answers with the service as it is now, unless already answered. */
    void expire() {
        onEnd.accept(this);
        synchronized (this) {
            if (answered) {
                return;
            }
        }
        answer(current());
    }

    @Override
    public Object shareKey() {
        return key;
    }

    @Override
    public Waiter.Prepared prepare() {
        return current();
    }

    /** This poll's answer from the service as it is now (filters applied), ready to write. */
    LongPollAnswer current() {
        return answer.get();
    }

    /** Writes {@code ready}, flushes it and completes the request; a no-op when already answered or failed. */
    void answer(LongPollAnswer ready) {
        if (send(ready)) {
            finish();
        } else {
            onEnd.accept(this);
        }
    }

    /**
     * Writes {@code ready} and flushes it to the connection at once, so the client has the whole answer
     * (it carries a {@code Content-Length}) without waiting for the container to process the completion.
     * The caller must then call {@link #finish}. Returns false, writing nothing, when already answered.
     */
    @Override
    public boolean send(Waiter.Prepared prepared) {
        LongPollAnswer ready = (LongPollAnswer) prepared;
        synchronized (this) {
            if (answered) {
                return false;
            }
            if (held == null && async == null) {
                answerWhenHeld = true; // a lean poll whose connection is not handed over yet
                return false;
            }
            answered = true;
            disarm();
            if (held != null) {
                return held.answer(ready.status(), ready.headers(), LongPollAnswer.CONTENT_TYPE, ready.body());
            }
            try {
                HttpServletResponse response = (HttpServletResponse) async.getResponse();
                ready.writeTo(response);
                response.flushBuffer();
            } catch (Exception e) {
                // the client went away; finishing releases the request
            }
            return true;
        }
    }

    /** Cancels the timer (the poll is answered); called holding the monitor. */
    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Completes the request after {@link #send}: the container recycles it for the connection's next request. */
    @Override
    public void finish() {
        HeldConnection connection;
        synchronized (this) {
            connection = held;
        }
        if (connection != null) {
            connection.release();
        }
        complete();
        onEnd.accept(this);
    }

    private void complete() {
        if (async == null) {
            return; // a lean poll: its connection went back to the container with the answer
        }
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // already completed by the container
        }
    }

    /** Marks the poll as counted in the gauge; true the first time. */
    @Override
    public boolean count() {
        return counted.compareAndSet(false, true);
    }

    /** Marks the poll as no longer counted; true the first time after {@link #count}. */
    @Override
    public boolean uncount() {
        return counted.compareAndSet(true, false);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // the backstop: the poll's own timer did not answer it in time (or could not be set at shutdown);
        // answer with the service as it is now, on the container thread reporting it
        onEnd.accept(this);
        synchronized (this) {
            if (answered) {
                // sent by a sender thread that has not completed it yet: completing twice is harmless
                complete();
                return;
            }
        }
        answer(current());
    }

    @Override
    public void onError(AsyncEvent event) {
        synchronized (this) {
            answered = true;
            disarm();
            complete();
        }
        onEnd.accept(this);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        onEnd.accept(this);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
