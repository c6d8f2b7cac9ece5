package io.beacon.watch;


import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One wake-up of long polls in progress: the polls, their ready answers, and the shares (one per sender
 * thread) still writing. Each share writes and flushes its answers; the share that finishes last then
 * completes every request, so completions (container dispatches) start only once every client has its
 * answer on the wire, and no sender thread ever waits for another.
 */
final class WakeUp {

    private final List<Waiter> polls;
    private final Waiter.Prepared[] answers;
    private final boolean[] sent;
    private final AtomicInteger writing;
    private final Runnable allSent;

    /**
     * @param shares how many {@link #send} calls will be made
     * @param allSent run once, when every answer has been flushed and before any request is completed
     */
    WakeUp(List<Waiter> polls, Waiter.Prepared[] answers, int shares, Runnable allSent) {
        this.polls = polls;
        this.answers = answers;
        this.sent = new boolean[answers.length];
        this.writing = new AtomicInteger(shares);
        this.allSent = allSent;
    }

    /** Writes and flushes answers {@code from} (inclusive) to {@code to} (exclusive); the last share completes all. */
    void send(int from, int to) {
        for (int i = from; i < to; i++) {
            sent[i] = polls.get(i).send(answers[i]);
        }
        // the decrement publishes this share's sent[] entries to the share that completes
        if (writing.decrementAndGet() != 0) {
            return;
        }
        allSent.run();
        for (int i = 0; i < answers.length; i++) {
            if (sent[i]) {
                polls.get(i).finish();
            } // otherwise answered already (timeout, error), and that path has forgotten it
        }
    }
}
