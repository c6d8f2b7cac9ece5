package io.beacon.watch;

import io.beacon.web.LimitRejections;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Admission of watchers against {@link WatcherLimits}: every stream and every held blocking query takes a
 * {@link Slot} before it starts and gives it back when it ends, whatever ends it (answer, timeout, error,
 * client gone, shutdown). Refusals are counted in {@code beacon_limit_rejections_total{limit}}, the same
 * counter as Beacon's other limits, with {@code limit="watchers"} or {@code "watchers-per-client"}.
 * Clients are told by address; the map of addresses holds only clients that hold a watcher.
 */
@Component
public class WatcherSlots {

    /** The {@code Retry-After} of a refused watcher. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    static final String TOTAL = LimitRejections.WATCHERS;
    static final String PER_CLIENT = LimitRejections.WATCHERS_PER_CLIENT;

    private final WatcherLimits limits;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();
    private final Counter totalRejections;
    private final Counter perClientRejections;

    WatcherSlots(WatcherLimits limits, MeterRegistry meters) {
        this.limits = limits;
        this.totalRejections = rejections(meters, TOTAL);
        this.perClientRejections = rejections(meters, PER_CLIENT);
    }

    private static Counter rejections(MeterRegistry meters, String limit) {
        return Counter.builder("beacon.limit.rejections").tag("limit", limit)
                .description("Requests refused for reaching a limit (beacon.limits.*)").register(meters);
    }

    /**
     * A slot for one more watcher of {@code client}.
     *
     * @throws WatcherLimitException when the client or every client together already holds the most allowed
     */
    public Slot acquire(String client) {
        if (total.incrementAndGet() > limits.maxWatchers()) {
            total.decrementAndGet();
            totalRejections.increment();
            throw new WatcherLimitException(TOTAL, limits.maxWatchers(), "Limit '" + TOTAL + "' of "
                    + limits.maxWatchers() + " watchers (open streams and held blocking queries, all clients) "
                    + "reached; retry after " + RETRY_AFTER.toSeconds() + " s", RETRY_AFTER);
        }
        boolean[] refused = {false};
        perClient.compute(client, (k, held) -> {
            int now = held == null ? 0 : held;
            if (now >= limits.maxWatchersPerClient()) {
                refused[0] = true;
                return held;
            }
            return now + 1;
        });
        if (refused[0]) {
            total.decrementAndGet();
            perClientRejections.increment();
            throw new WatcherLimitException(PER_CLIENT, limits.maxWatchersPerClient(), "Limit '" + PER_CLIENT
                    + "' of " + limits.maxWatchersPerClient() + " watchers (open streams and held blocking "
                    + "queries) for " + client + " reached; close one or retry after " + RETRY_AFTER.toSeconds()
                    + " s", RETRY_AFTER);
        }
        return new Slot(client);
    }

    /** Watchers held now (every client). */
    int held() {
        return total.get();
    }

    /** Watchers {@code client} holds now. */
    int held(String client) {
        return perClient.getOrDefault(client, 0);
    }

    /** One admitted watcher; {@link #release} gives it back, once however often it is called. */
    public final class Slot {

        private final String client;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String client) {
            this.client = client;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                perClient.computeIfPresent(client, (k, held) -> held <= 1 ? null : held - 1);
                total.decrementAndGet();
            }
        }
    }
}
