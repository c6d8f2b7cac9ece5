package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.support.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The token buckets, driven by a mutable clock: the last request accepted, the first refused, the refill. */
class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    private final MutableClock clock = new MutableClock();

    private RateLimiter limiter(int registrations, int heartbeats, int maxClients) {
        return new RateLimiter(new RateLimits(registrations, 10, 10, heartbeats, maxClients, java.time.Duration.ZERO), clock);
    }

    @Test
    void aBudgetAllowsItsValueAtOnceThenRefillsAtItsRate() {
        RateLimiter limiter = limiter(3, 10, 100);
        assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isZero();
        assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isZero();
        assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isZero();

        long wait = limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS);
        // 3 per minute refill one every 20 s
        assertThat(wait).isEqualTo(20 * SECOND);
        assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isEqualTo(20 * SECOND);

        clock.advance(Duration.ofSeconds(19));
        assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isEqualTo(SECOND);
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isZero();
        assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isPositive();
    }

    @Test
    void clientsAndBudgetsAreSeparate() {
        RateLimiter limiter = limiter(1, 2, 100);
        assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isZero();
        assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isPositive();

        assertThat(limiter.acquire("10.0.0.2", RateBudget.REGISTRATIONS)).isZero();
        assertThat(limiter.acquire("10.0.0.1", RateBudget.HEARTBEATS)).isZero();
        assertThat(limiter.acquire("10.0.0.1", RateBudget.HEARTBEATS)).isZero();
        assertThat(limiter.acquire("10.0.0.1", RateBudget.HEARTBEATS)).isPositive();
    }

    @Test
    void aBudgetOfZeroIsOff() {
        RateLimiter limiter = limiter(0, 1, 100);
        assertThat(limiter.limits(RateBudget.REGISTRATIONS)).isFalse();
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isZero();
        }
        assertThat(limiter.clients()).isZero();
    }

    @Test
    void trackedClientsAreBoundedAndIdleOnesDropped() {
        RateLimiter limiter = limiter(5, 5, 10);
        for (int i = 0; i < 200; i++) {
            limiter.acquire("10.0.1." + i, RateBudget.REGISTRATIONS);
        }
        assertThat(limiter.clients()).isLessThanOrEqualTo(10);

        clock.advance(RateLimiter.IDLE.plusSeconds(1));
        assertThat(limiter.clients()).isZero();
    }
}
