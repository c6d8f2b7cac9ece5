package io.beacon.discovery;

import io.beacon.discovery.DiscoveryQuery;
import io.beacon.discovery.Responses;
import io.beacon.registry.ServiceName;
import io.beacon.watch.WatchHub;
import io.beacon.watch.WatcherSlots;
import io.beacon.web.LeanWatchers;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Blocking discovery: holds a {@code /discover} request (a raw Servlet async request, no thread held)
 * until the service's index moves past the client's or the wait (capped, plus up to 1/16 jitter drawn
 * from the injected random source) elapses. The wait is timed on the watch threads, to the millisecond
 * rather than at the container's once-a-second async timeout check; the container timeout is kept
 * {@link #CONTAINER_BACKSTOP} later as a backstop. The answer is written straight to the held request,
 * byte for byte what {@code /discover} would send.
 * <p>
 * A poll on a plain HTTP/1.1 connection is held lean instead ({@link LeanWatchers}): Tomcat lets go of the request
 * once the handler returns, the poll is parked when its connection is held, and only its own timer answers it.
 * <p>
 * Every {@link #PROBE_INTERVAL} the held polls are probed ({@link LongPoll#probe}, a non-blocking read each):
 * a poll whose client closed its connection is released within about that long, not at the end of its wait.
 */
@Component
public class LongPolls {

    /** How long after the wait the container's own async timeout answers a poll its timer has not. */
    static final Duration CONTAINER_BACKSTOP = Duration.ofSeconds(5);

    /** How often the held polls are probed for clients that closed their connections. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);

    private final WatchHub hub;
    private final LongPollProperties properties;
    private final RandomGenerator random;
    private final WatcherSlots slots;
    private final LeanWatchers lean;
    private final Set<LongPoll> probed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean probing = new AtomicBoolean();

    LongPolls(WatchHub hub, LongPollProperties properties, RandomGenerator random, WatcherSlots slots,
            ObjectProvider<LeanWatchers> lean) {
        this.hub = hub;
        this.lean = lean.getIfAvailable();
        this.slots = slots;
        this.properties = properties;
        this.random = random;
    }

    /** The wait used when a blocking request gives none. */
    public Duration defaultWait() {
        return properties.defaultWait();
    }

    /**
     * Holds {@code request} (lean, by its connection, or as an async request) and answers it at once when the
     * service's index differs from the client's (newer, or the client's index predates a restart), otherwise
     * when the service changes or the wait elapses. Call only after the request has been validated. The poll
     * holds a watcher slot from start to answer.
     *
     * @param query the parsed discovery query; polls with the same filters share one answer per change
     * @param answer the answer from the service as it is when called, ready to write (a plain query's is the
     *     discovery cache's shared bytes)
     * @throws io.beacon.watch.WatcherLimitException when a watcher limit is reached (nothing started)
     */
    public void await(DiscoveryQuery query, BlockingParams params,
            Supplier<LongPollAnswer> answer, HttpServletRequest request) {
        Duration wait = params.effectiveWait(properties.maxWait(), random.nextDouble());
        ServiceName name = query.name();
        boolean leanHold = lean != null && lean.prepareToHold(request);
        WatcherSlots.Slot slot = slots.acquire(request.getRemoteAddr());
        LongPoll[] self = new LongPoll[1];
        LongPoll poll = new LongPoll(filters(query), answer, p -> {
            hub.unpark(name, p);
            slot.release();
            probed.remove(self[0]);
        });
        self[0] = poll;
        if (leanHold) {
            // timed from now: a poll whose connection never arrives is released at its wait
            ScheduledFuture<?> timer = time(poll, wait);
            poll.holdLean(() -> {
                if (park(poll, name, params) && timer == null) {
                    poll.expire(); // shutting down: no timer, and no container timeout to fall back on
                }
            });
            lean.holdAnswer(request, poll, hub.threads());
            return;
        }
        AsyncContext async;
        try {
            async = request.startAsync();
        } catch (RuntimeException e) {
            slot.release();
            throw e;
        }
        async.setTimeout(wait.plus(CONTAINER_BACKSTOP).toMillis());
        poll.hold(async);
        boolean probe = poll.watchInput();
        if (!park(poll, name, params)) {
            return;
        }
        time(poll, wait);
        if (probe) {
            probed.add(poll);
            if (poll.answered()) {
                probed.remove(poll);
            }
            startProbing();
        }
    }

    /** Parks {@code poll}; false when it was answered at once instead (its index is not the service's). */
    private boolean park(LongPoll poll, ServiceName name, BlockingParams params) {
        if (!hub.park(name, poll, params.index())) {
            poll.answer(poll.current());
            return false;
        }
        return true;
    }

    /** Arms {@code poll}'s own timer at its wait; null when none could be set (shutting down). */
    private ScheduledFuture<?> time(LongPoll poll, Duration wait) {
        ScheduledFuture<?> timer = hub.schedule(poll::expire, wait);
        if (timer != null) {
            poll.arm(timer);
        }
        return timer;
    }

    /** Held polls probed now (for tests). */
    int probed() {
        return probed.size();
    }

    private void startProbing() {
        if (!probed.isEmpty() && probing.compareAndSet(false, true)) {
            if (hub.schedule(this::probe, PROBE_INTERVAL) == null) {
                probing.set(false);
            }
        }
    }

    /** Probes every held poll, then again after the interval while any is held. */
    private void probe() {
        for (LongPoll poll : probed) {
            poll.probe();
        }
        probing.set(false);
        startProbing();
    }

    /** What, besides the service, decides a discovery answer. */
    private static Object filters(DiscoveryQuery query) {
        return Arrays.asList(query.tags(), query.zone(), query.version(), query.meta(), query.statuses());
    }
}
