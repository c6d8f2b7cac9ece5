package io.beacon.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The rate budgets of every client: per client address a Bucket4j token bucket per {@link RateBudget},
 * created on the client's first request of that budget, holding its burst ({@link RateLimits#burst}: the
 * per-minute value, or {@code registration-burst} for registrations) and refilled greedily at the per-minute
 * rate (so a client may spend its burst at once, then its share per second). Buckets read the injected
 * {@link Clock}. The clients are held in a Caffeine cache bounded by {@link RateLimits#maxRateClients()} and
 * dropped after {@link #IDLE} without a request: a bucket idle that long is full again, so dropping it
 * changes nothing.
 */
final class RateLimiter {

    /** A client without requests for this long is forgotten (its buckets have refilled by then). */
    static final Duration IDLE = Duration.ofMinutes(2);

    private static final int BUDGETS = RateBudget.values().length;

    private final RateLimits limits;
    private final Bandwidth[] bandwidths = new Bandwidth[BUDGETS];
    private final TimeMeter time;
    private final Cache<String, AtomicReferenceArray<Bucket>> clients;
    private final Function<String, AtomicReferenceArray<Bucket>> newClient = client -> new AtomicReferenceArray<>(BUDGETS);

    RateLimiter(RateLimits limits, Clock clock) {
        this.limits = limits;
        for (RateBudget budget : RateBudget.values()) {
            int perMinute = limits.perMinute(budget);
            if (perMinute > 0) {
                bandwidths[budget.ordinal()] = Bandwidth.builder().capacity(limits.burst(budget))
                        .refillGreedy(perMinute, Duration.ofMinutes(1)).build();
            }
        }
        this.time = new ClockTime(clock);
        this.clients = Caffeine.newBuilder().maximumSize(limits.maxRateClients()).expireAfterAccess(IDLE)
                .ticker(() -> nanos(clock)).executor(Runnable::run).build();
    }

    /** True when {@code budget} is on. */
    boolean limits(RateBudget budget) {
        return bandwidths[budget.ordinal()] != null;
    }

    /**
     * Spends one request of {@code client}'s {@code budget}: 0 when it was available, otherwise the
     * nanoseconds until it will be (nothing is spent then).
     */
    long acquire(String client, RateBudget budget) {
        Bandwidth bandwidth = bandwidths[budget.ordinal()];
        if (bandwidth == null) {
            return 0;
        }
        AtomicReferenceArray<Bucket> buckets = clients.get(client, newClient);
        Bucket bucket = buckets.get(budget.ordinal());
        if (bucket == null) {
            Bucket created = Bucket.builder().addLimit(bandwidth).withCustomTimePrecision(time)
                    .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED).build();
            bucket = buckets.compareAndSet(budget.ordinal(), null, created) ? created : buckets.get(budget.ordinal());
        }
        if (bucket.tryConsume(1)) {
            return 0;
        }
        return Math.max(1, bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
    }

    /** The per-minute value of {@code budget}. */
    int perMinute(RateBudget budget) {
        return limits.perMinute(budget);
    }

    /** Client addresses tracked right now (for tests). */
    long clients() {
        clients.cleanUp();
        return clients.estimatedSize();
    }

    private static long nanos(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Bucket4j's time from the injected clock. */
    private record ClockTime(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            return nanos(clock);
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
