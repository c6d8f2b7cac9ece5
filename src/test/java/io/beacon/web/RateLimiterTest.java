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
        return new RateLimiter(new RateLimits(registrations, 0, 10, 0, 10, heartbeats, maxClients, java.time.Duration.ZERO), clock);
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
    void registrationsAllowTheirBurstAtOnceThenTheirPerMinuteRateSteadily() {
        RateLimiter limiter = new RateLimiter(new RateLimits(600, 3, 10, 0, 10, 10, 100, Duration.ZERO), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isZero();
        }
        // 600 per minute refill one every 100 ms
        assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isEqualTo(SECOND / 10);
        clock.advance(Duration.ofMillis(100));
        assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isZero();
        assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isPositive();
        // an idle minute fills the bucket to its burst, not to the per-minute value
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isZero();
        }
        assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isPositive();
    }

    @Test
    void theDefaultsLetADeployOf1000RegisterAtOnceAnd10000RegisterWithinAMinute() {
        RateLimits defaults = new RateLimits(20_000, 2_000, 6_000, 1_000, 60_000, 60_000, 20_000, Duration.ofSeconds(1));
        RateLimiter limiter = new RateLimiter(defaults, clock);
        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS)).isZero();
        }
        int accepted = 1_000;
        // the rest of 10,000 within the minute, a client that waits as told
        long elapsed = 0;
        while (accepted < 10_000) {
            long wait = limiter.acquire("10.0.0.1", RateBudget.REGISTRATIONS);
            if (wait == 0) {
                accepted++;
            } else {
                clock.advance(Duration.ofNanos(wait));
                elapsed += wait;
            }
        }
        assertThat(Duration.ofNanos(elapsed)).isLessThan(Duration.ofMinutes(1));
        // and not the whole per-minute value at once: 2,000, then one every 3 ms
        RateLimiter fresh = new RateLimiter(defaults, clock);
        for (int i = 0; i < 2_000; i++) {
            assertThat(fresh.acquire("10.0.0.2", RateBudget.REGISTRATIONS)).isZero();
        }
        assertThat(fresh.acquire("10.0.0.2", RateBudget.REGISTRATIONS)).isEqualTo(3 * SECOND / 1_000);
    }

    @Test
    void theDefaultsLetADeployOf1000DeregisterAtOnceAndSpreadAFloodOfReports() {
        RateLimits defaults = new RateLimits(20_000, 2_000, 6_000, 1_000, 60_000, 60_000, 20_000, Duration.ofSeconds(1));
        RateLimiter limiter = new RateLimiter(defaults, clock);
        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.acquire("10.0.0.3", RateBudget.WRITES)).as("write %d", i).isZero();
        }
        // then 6,000 a minute: one every 10 ms
        assertThat(limiter.acquire("10.0.0.3", RateBudget.WRITES)).isEqualTo(10 * SECOND / 1_000);
        clock.advance(Duration.ofMillis(10));
        assertThat(limiter.acquire("10.0.0.3", RateBudget.WRITES)).isZero();
        assertThat(limiter.acquire("10.0.0.3", RateBudget.WRITES)).isPositive();
        // the other budgets of the same client are untouched
        assertThat(limiter.acquire("10.0.0.3", RateBudget.HEARTBEATS)).isZero();
        assertThat(limiter.acquire("10.0.0.3", RateBudget.REGISTRATIONS)).isZero();
    }

    @Test
    void aBurstOfZeroOrAboveThePerMinuteValueIsThePerMinuteValue() {
        assertThat(new RateLimits(50, 0, 1, 0, 1, 1, 1, Duration.ZERO).burst(RateBudget.REGISTRATIONS)).isEqualTo(50);
        assertThat(new RateLimits(50, 80, 1, 0, 1, 1, 1, Duration.ZERO).burst(RateBudget.REGISTRATIONS)).isEqualTo(50);
        assertThat(new RateLimits(50, 20, 7, 0, 1, 1, 1, Duration.ZERO).burst(RateBudget.WRITES)).isEqualTo(7);
        assertThat(new RateLimits(50, 20, 700, 30, 1, 1, 1, Duration.ZERO).burst(RateBudget.WRITES)).isEqualTo(30);
        assertThat(new RateLimits(50, 20, 20, 30, 1, 1, 1, Duration.ZERO).burst(RateBudget.WRITES)).isEqualTo(20);
        assertThat(new RateLimits(50, 20, 700, 30, 1, 1, 1, Duration.ZERO).burst(RateBudget.READS)).isEqualTo(1);
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
