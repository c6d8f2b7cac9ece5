package io.beacon.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.ExpiryDecision;
import io.beacon.registry.InMemoryRegistry;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceState;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Lease;
import io.beacon.registry.ServiceName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** The self-preservation decision on its own. */
class SelfPreservationTest {

    final Instant now = Instant.parse("2030-01-01T00:00:00Z");
    final InMemoryRegistry registry = new InMemoryRegistry(e -> {
    });
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    void register(int count, int stale) {
        for (int n = 0; n < count; n++) {
            Instance i = new Instance(ServiceName.of("svc"), "i" + n, "10.0.0.1", 8000 + n, Map.of(), null, null,
                    null, 1, Lease.start(now, Duration.ofSeconds(30), Duration.ofSeconds(90)),
                    InstanceState.initial(InstanceStatus.UP, now), 0, null, Map.of(), now);
            registry.register(i, now);
            if (n < stale) {
                registry.expire(i.key(), now, x -> ExpiryDecision.MARK_STALE);
            }
        }
    }

    SelfPreservation guard(boolean enabled) {
        return new SelfPreservation(registry, new SelfPreservationProperties(enabled, 50, 5), meters);
    }

    @Test
    void holdsWhenMoreThanTheThresholdLapsed() {
        register(10, 6);
        SelfPreservation guard = guard(true);
        assertThat(guard.holdEvictions(0, 6, now)).isTrue();
        assertThat(guard.isActive()).isTrue();
        assertThat(meters.get("beacon.self.preservation").gauge().value()).isEqualTo(1.0);
        assertThat(guard.health().getStatus()).isEqualTo(Status.UP);
        assertThat(guard.health().getDetails()).containsEntry("lapsedInstances", 6L).containsEntry("totalInstances", 10L)
                .containsEntry("turnOff", "beacon.self-preservation.enabled=false");
    }

    @Test
    void countsInstancesTurningStaleInThisSweep() {
        register(10, 4);
        SelfPreservation guard = guard(true);
        assertThat(guard.holdEvictions(0, 4, now)).isFalse();
        assertThat(guard.holdEvictions(2, 4, now)).isTrue();
    }

    @Test
    void exactlyTheThresholdIsNotMore() {
        register(10, 5);
        assertThat(guard(true).holdEvictions(0, 5, now)).isFalse();
    }

    @Test
    void doesNotApplyBelowTheMinimumInstanceCount() {
        register(4, 4);
        assertThat(guard(true).holdEvictions(0, 4, now)).isFalse();
    }

    @Test
    void offSwitch() {
        register(10, 10);
        SelfPreservation guard = guard(false);
        assertThat(guard.holdEvictions(0, 10, now)).isFalse();
        assertThat(meters.get("beacon.self.preservation").gauge().value()).isZero();
        assertThat(guard.health().getDetails()).containsEntry("enabled", false).containsEntry("active", false);
    }
}
