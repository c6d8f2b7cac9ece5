package io.beacon.web;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the refusals waiting for their delayed 429 ({@link RateLimitValve}): at most {@link #PER_CLIENT}
 * per client address and {@link #TOTAL} in all (each holds an async request, that is a Tomcat processor of
 * about 50 KB, so at most about 25 MiB together). A refusal that finds no room is answered at once.
 */
final class DelayedRefusals {

    /** Most refusals of one client waiting at once. */
    static final int PER_CLIENT = 64;
    /** Most refusals waiting at once in all. */
    static final int TOTAL = 512;

    private final int perClient;
    private final int total;
    private final AtomicInteger held = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> byClient = new ConcurrentHashMap<>();

    DelayedRefusals() {
        this(PER_CLIENT, TOTAL);
    }

    DelayedRefusals(int perClient, int total) {
        this.perClient = perClient;
        this.total = total;
    }

    /** Takes a place for one of {@code client}'s refusals; false, taking nothing, when there is none. */
    boolean hold(String client) {
        if (held.incrementAndGet() > total) {
            held.decrementAndGet();
            return false;
        }
        boolean[] taken = {false};
        byClient.compute(client, (c, n) -> {
            int count = n == null ? 0 : n;
            if (count >= perClient) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        if (!taken[0]) {
            held.decrementAndGet();
        }
        return taken[0];
    }

    /** Gives back a place {@link #hold} took for {@code client}. */
    void release(String client) {
        byClient.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
        held.decrementAndGet();
    }

    /** Refusals waiting now. */
    int held() {
        return held.get();
    }
}
