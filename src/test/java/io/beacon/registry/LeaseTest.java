package io.beacon.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Lease arithmetic at its exact boundaries. */
class LeaseTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration EVICT = Duration.ofSeconds(90);
    private static final Duration NANO = Duration.ofNanos(1);

    private final Lease lease = Lease.start(T0, LEASE, EVICT);

    @Test
    void startsNowAndComputesDeadlinesFromTheLastRenewal() {
        assertThat(lease.registeredAt()).isEqualTo(T0);
        assertThat(lease.lastRenewedAt()).isEqualTo(T0);
        assertThat(lease.expiresAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(lease.evictAt()).isEqualTo(T0.plusSeconds(90));
    }

    @Test
    void isCurrentAtItsExpiryAndExpiredJustAfter() {
        assertThat(lease.isExpired(T0)).isFalse();
        assertThat(lease.isExpired(T0.plus(LEASE).minus(NANO))).isFalse();
        assertThat(lease.isExpired(T0.plus(LEASE))).isFalse();
        assertThat(lease.isExpired(T0.plus(LEASE).plus(NANO))).isTrue();
        assertThat(lease.isExpired(T0.plus(LEASE).plusMillis(1))).isTrue();
    }

    @Test
    void isEvictableOnlyAfterEvictAfter() {
        assertThat(lease.isEvictable(T0.plus(LEASE).plus(NANO))).isFalse();
        assertThat(lease.isEvictable(T0.plus(LEASE.multipliedBy(2)))).isFalse();
        assertThat(lease.isEvictable(T0.plus(EVICT))).isFalse();
        assertThat(lease.isEvictable(T0.plus(EVICT).plus(NANO))).isTrue();
    }

    @Test
    void renewMovesBothDeadlinesAndKeepsTheRegistrationTime() {
        Instant later = T0.plusSeconds(25);
        Lease renewed = lease.renew(later);

        assertThat(renewed.registeredAt()).isEqualTo(T0);
        assertThat(renewed.lastRenewedAt()).isEqualTo(later);
        assertThat(renewed.expiresAt()).isEqualTo(later.plusSeconds(30));
        assertThat(renewed.evictAt()).isEqualTo(later.plusSeconds(90));
        assertThat(renewed.isExpired(T0.plus(LEASE).plus(NANO))).isFalse();
        assertThat(lease.lastRenewedAt()).as("the original value is unchanged").isEqualTo(T0);
    }

    @Test
    void rejectsAnEvictionDelayShorterThanTheLease() {
        assertThatThrownBy(() -> Lease.start(T0, EVICT, LEASE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("evictAfter");
    }
}
