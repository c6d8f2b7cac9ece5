package io.beacon.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;

/** Watcher admission: per-client and total limits, release once, refusals counted by limit. */
class WatcherSlotsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final WatcherSlots slots = new WatcherSlots(new WatcherLimits(5, 2), meters);

    private double rejections(String limit) {
        return meters.get("beacon.limit.rejections").tag("limit", limit).counter().count();
    }

    @Test
    void countersStartAtZero() {
        assertThat(rejections("watchers")).isZero();
        assertThat(rejections("watchers-per-client")).isZero();
    }

    @Test
    void theLastAllowedPerClientIsAcceptedAndTheNextRefusedWith429() {
        slots.acquire("10.0.0.1");
        slots.acquire("10.0.0.1");

        assertThatThrownBy(() -> slots.acquire("10.0.0.1")).isInstanceOfSatisfying(WatcherLimitException.class, e -> {
            assertThat(e.getStatusCode().value()).isEqualTo(429);
            assertThat(e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
            ProblemDetail body = e.getBody();
            assertThat(body.getDetail()).contains("'watchers-per-client' of 2").contains("10.0.0.1");
            assertThat(body.getProperties()).containsEntry("limit", "watchers-per-client").containsEntry("value", 2);
        });
        assertThat(slots.held("10.0.0.1")).isEqualTo(2);
        assertThat(slots.held()).isEqualTo(2);
        assertThat(rejections("watchers-per-client")).isEqualTo(1.0);
        // another client is not affected
        slots.acquire("10.0.0.2");
        assertThat(slots.held()).isEqualTo(3);
    }

    @Test
    void theTotalLimitCountsEveryClient() {
        for (int i = 0; i < 5; i++) {
            slots.acquire("10.0.0." + i);
        }
        assertThatThrownBy(() -> slots.acquire("10.0.0.9")).isInstanceOfSatisfying(WatcherLimitException.class,
                e -> assertThat(e.getBody().getDetail()).contains("'watchers' of 5"));
        assertThat(slots.held()).isEqualTo(5);
        assertThat(slots.held("10.0.0.9")).isZero();
        assertThat(rejections("watchers")).isEqualTo(1.0);
    }

    @Test
    void aReleasedSlotIsGivenBackOnceHoweverOftenReleased() {
        WatcherSlots.Slot a = slots.acquire("10.0.0.1");
        slots.acquire("10.0.0.1");
        a.release();
        a.release();
        assertThat(slots.held("10.0.0.1")).isEqualTo(1);
        assertThat(slots.held()).isEqualTo(1);

        slots.acquire("10.0.0.1");
        assertThat(slots.held("10.0.0.1")).isEqualTo(2);
    }

    @Test
    void aClientHoldingNothingLeavesNoEntry() {
        WatcherSlots.Slot a = slots.acquire("10.0.0.1");
        a.release();
        assertThat(slots.held("10.0.0.1")).isZero();
        assertThat(slots.held()).isZero();
    }
}
