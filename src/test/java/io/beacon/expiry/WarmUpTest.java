package io.beacon.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.InMemoryRegistry;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.support.MutableClock;
import io.beacon.support.RecordingListener;
import io.beacon.support.TestInstances;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The warm-up after start: instances whose last heartbeat predates this node's start are marked STALE but not
 * evicted until {@code beacon.sweep.warm-up} has passed; instances registered since are unaffected; the health
 * component stays UP and says the registry is warming up.
 */
class WarmUpTest {

    private final Instant before = Instant.parse("2030-01-01T00:00:00Z");
    private final MutableClock clock = new MutableClock(before);
    private final RecordingListener events = new RecordingListener().notRecording();
    private final InMemoryRegistry registry = new InMemoryRegistry(events);

    @Test
    void leasesFromBeforeTheStartAreNotEvictedDuringTheWarmUp() {
        Instant start = before.plusSeconds(100);
        ExpirySweeper sweeper = new ExpirySweeper(registry, new MutableClock(start),
                new SweepProperties(Duration.ofHours(1), Duration.ofSeconds(30)));
        events.forwardTo(sweeper::on);
        // state this node received that was last renewed before it started (e.g. from a cluster)
        registry.register(TestInstances.instance("orders", "old", before), before);
        registry.register(TestInstances.instance("orders", "new", start), start);

        SweepResult during = sweeper.sweep(start.plusSeconds(29));
        assertThat(during.evictionsDeferred()).isEqualTo(1);
        assertThat(registry.get(InstanceKey.of("orders", "old")).map(Instance::status)).contains(InstanceStatus.STALE);

        SweepResult after = sweeper.sweep(start.plusSeconds(30));
        assertThat(after.evicted()).isEqualTo(1);
        assertThat(registry.get(InstanceKey.of("orders", "old"))).isEmpty();
        assertThat(registry.get(InstanceKey.of("orders", "new"))).isPresent();
    }

    @Test
    void instancesRegisteredSinceTheStartAreEvictedAsUsual() {
        ExpirySweeper sweeper = new ExpirySweeper(registry, clock, new SweepProperties(Duration.ofHours(1), Duration.ofMinutes(10)));
        events.forwardTo(sweeper::on);
        registry.register(TestInstances.instance("orders", "a", before), before);

        SweepResult result = sweeper.sweep(before.plusSeconds(91));

        assertThat(result.evicted()).isEqualTo(1);
        assertThat(result.evictionsDeferred()).isZero();
    }

    @Test
    void healthSaysWarmingUpUntilTheEndAndStaysUp() {
        WarmUp warmUp = new WarmUp(clock, Duration.ofSeconds(30));

        Health during = warmUp.health();
        assertThat(during.getStatus()).isEqualTo(Status.UP);
        assertThat(during.getDetails()).containsEntry("warmingUp", true)
                .containsEntry("until", before.plusSeconds(30).toString());
        assertThat((String) during.getDetails().get("detail")).contains("warming up");

        clock.set(before.plusSeconds(30));
        Health after = warmUp.health();
        assertThat(after.getStatus()).isEqualTo(Status.UP);
        assertThat(after.getDetails()).containsEntry("warmingUp", false).doesNotContainKey("detail");
    }
}
