package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RefusalHoldTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void theSmallestDrawHoldsHalfTheDelayAndTheLargestAllOfIt() {
        assertThat(RateLimitValve.hold(SECOND, 60, () -> 0L)).isEqualTo(SECOND / 2);
        assertThat(RateLimitValve.hold(SECOND, 60, () -> -1L)).isBetween(SECOND - 100, SECOND);
        assertThat(RateLimitValve.hold(700_000_000L, 1, () -> -1L)).isBetween(699_999_900L, 700_000_000L);
    }

    @Test
    void neverPastRetryAfter() {
        assertThat(RateLimitValve.hold(5 * SECOND, 2, () -> -1L)).isBetween(2 * SECOND - 100, 2 * SECOND);
        assertThat(RateLimitValve.hold(5 * SECOND, 2, () -> 0L)).isEqualTo(SECOND);
    }

    @Test
    void holdsAreSpreadOverTheUpperHalfOfTheDelay() {
        SplittableRandom random = new SplittableRandom(42);
        int[] quarters = new int[2];
        for (int i = 0; i < 10_000; i++) {
            long hold = RateLimitValve.hold(SECOND, 1, random::nextLong);
            assertThat(hold).isBetween(SECOND / 2, SECOND);
            quarters[hold < SECOND * 3 / 4 ? 0 : 1]++;
        }
        assertThat(quarters[0]).as("holds below 3/4 of the delay").isBetween(4_500, 5_500);
        assertThat(quarters[1]).as("holds from 3/4 of the delay").isBetween(4_500, 5_500);
    }

    @Test
    void noDelayHoldsNothing() {
        assertThat(RateLimitValve.hold(0, 1, () -> -1L)).isZero();
    }
}
