package io.beacon.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.ExpiryDecision;
import io.beacon.registry.Instance;
import io.beacon.registry.Lease;
import io.beacon.support.TestInstances;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure expiry rule at its exact boundaries: STALE just after the lease, never only at 2x. */
class ExpiryPolicyTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Lease LEASE = Lease.start(T0, Duration.ofSeconds(30), Duration.ofSeconds(90));

    /** Offsets in nanoseconds after the last renewal. */
    @ParameterizedTest(name = "t0 + {0} ns, stale={1} -> {2}")
    @CsvSource({
            "0,            false, KEEP",
            "29999999999,  false, KEEP",
            "30000000000,  false, KEEP",
            "30000000001,  false, MARK_STALE",
            "30001000000,  false, MARK_STALE",
            "59999999999,  false, MARK_STALE",
            "60000000000,  false, MARK_STALE",
            "30000000001,  true,  KEEP",
            "60000000000,  true,  KEEP",
            "90000000000,  true,  KEEP",
            "90000000001,  true,  EVICT",
            "90000000001,  false, EVICT",
            "120000000000, false, EVICT"
    })
    void decides(long nanos, boolean stale, ExpiryDecision expected) {
        assertThat(ExpiryPolicy.decide(LEASE, stale, T0.plusNanos(nanos))).isEqualTo(expected);
    }

    @Test
    void nextDeadlineIsOneMilliAfterExpiryThenOneMilliAfterEviction() {
        Instance up = TestInstances.instance("orders", "a", T0);
        assertThat(ExpiryPolicy.nextDeadline(up)).isEqualTo(T0.plusSeconds(30).plusMillis(1));

        Instance stale = up.withState(up.state().withStale(true, T0.plusSeconds(31)));
        assertThat(ExpiryPolicy.nextDeadline(stale)).isEqualTo(T0.plusSeconds(90).plusMillis(1));
        assertThat(ExpiryPolicy.decide(stale, T0.plusSeconds(90))).isEqualTo(ExpiryDecision.KEEP);
        assertThat(ExpiryPolicy.decide(stale, ExpiryPolicy.nextDeadline(stale))).isEqualTo(ExpiryDecision.EVICT);
    }

    @Test
    void followsAPerInstanceLease() {
        Instance shortLease = TestInstances.instance("orders", "b", 8080, 10, T0);
        assertThat(shortLease.lease().duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(shortLease.lease().evictAfter()).as("same 3:1 ratio as 30 s / 90 s").isEqualTo(Duration.ofSeconds(30));

        assertThat(ExpiryPolicy.decide(shortLease, T0.plusSeconds(10))).isEqualTo(ExpiryDecision.KEEP);
        assertThat(ExpiryPolicy.decide(shortLease, T0.plusSeconds(10).plusNanos(1))).isEqualTo(ExpiryDecision.MARK_STALE);
        assertThat(ExpiryPolicy.decide(shortLease, T0.plusSeconds(30).plusNanos(1))).isEqualTo(ExpiryDecision.EVICT);
    }
}
