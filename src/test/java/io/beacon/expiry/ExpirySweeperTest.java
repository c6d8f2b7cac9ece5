package io.beacon.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.InMemoryRegistry;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryEvent.Kind;
import io.beacon.support.MutableClock;
import io.beacon.support.RecordingListener;
import io.beacon.support.TestInstances;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The sweeper driven by hand: {@link ExpirySweeper#sweep(Instant)} at exact instants, with every
 * registry event forwarded to the sweeper's listener as Spring would.
 */
class ExpirySweeperTest {

    private static final Duration MS = Duration.ofMillis(1);

    private final MutableClock clock = new MutableClock();
    private final RecordingListener events = new RecordingListener();
    private final InMemoryRegistry registry = new InMemoryRegistry(events);
    private final ExpirySweeper sweeper = new ExpirySweeper(registry, clock, new SweepProperties(java.time.Duration.ofHours(1)));
    private final InstanceKey key = InstanceKey.of("orders", "a");

    ExpirySweeperTest() {
        events.forwardTo(sweeper::on);
    }

    private InstanceStatus status() {
        return registry.get(key).map(Instance::status).orElse(null);
    }

    private SweepResult sweepAt(Instant at) {
        clock.set(at);
        return sweeper.sweep(at);
    }

    @Test
    void upStaleHeartbeatUpStaleEvicted() {
        Instant t0 = clock.instant();
        registry.register(TestInstances.instance("orders", "a", t0), t0);

        assertThat(sweepAt(t0.plusSeconds(30))).isEqualTo(new SweepResult(0, 0, 0, 0));
        assertThat(status()).isEqualTo(InstanceStatus.UP);

        assertThat(sweepAt(t0.plusSeconds(30).plus(MS))).isEqualTo(new SweepResult(1, 1, 0, 0));
        assertThat(status()).isEqualTo(InstanceStatus.STALE);
        assertThat(sweepAt(t0.plusSeconds(45))).isEqualTo(new SweepResult(0, 0, 0, 0));

        Instant t1 = t0.plusSeconds(50);
        clock.set(t1);
        Instance back = registry.heartbeat(key, t1, OptionalInt.empty());
        assertThat(back.status()).isEqualTo(InstanceStatus.UP);

        assertThat(sweepAt(t1.plusSeconds(30)).markedStale()).isZero();
        assertThat(status()).isEqualTo(InstanceStatus.UP);
        assertThat(sweepAt(t1.plusSeconds(30).plus(MS)).markedStale()).isEqualTo(1);
        assertThat(status()).isEqualTo(InstanceStatus.STALE);

        SweepResult atTwice = sweepAt(t1.plusSeconds(60));
        assertThat(atTwice.markedStale() + atTwice.evicted()).as("nothing happens at 2x").isZero();
        assertThat(sweepAt(t1.plusSeconds(90)).evicted()).isZero();
        assertThat(status()).isEqualTo(InstanceStatus.STALE);
        assertThat(sweepAt(t1.plusSeconds(90).plus(MS))).isEqualTo(new SweepResult(1, 0, 1, 0));
        assertThat(registry.get(key)).isEmpty();
        assertThat(registry.size()).isZero();

        assertThat(events.kinds()).containsExactly(Kind.REGISTERED, Kind.STATUS_CHANGED, Kind.STATUS_CHANGED,
                Kind.STATUS_CHANGED, Kind.EVICTED);
        assertThat(sweeper.pending()).as("nothing left to look at").isZero();
    }

    @Test
    void heartbeatsKeepAnInstanceUpIndefinitely() {
        Instant t = clock.instant();
        registry.register(TestInstances.instance("orders", "a", t), t);
        for (int i = 0; i < 20; i++) {
            t = t.plusSeconds(29);
            clock.set(t);
            registry.heartbeat(key, t, OptionalInt.empty());
            sweeper.sweep(t.plusSeconds(30));
            assertThat(status()).isEqualTo(InstanceStatus.UP);
        }
        assertThat(events.kinds()).doesNotContain(Kind.STATUS_CHANGED, Kind.EVICTED);
        assertThat(sweeper.pending()).as("deadlines do not pile up").isLessThanOrEqualTo(2);
    }

    @Test
    void aStaleInstanceThatHeartbeatsBeforeTheSweepIsNotEvicted() {
        Instant t0 = clock.instant();
        registry.register(TestInstances.instance("orders", "a", t0), t0);
        sweepAt(t0.plusSeconds(31));
        assertThat(status()).isEqualTo(InstanceStatus.STALE);

        Instant beat = t0.plusSeconds(90);
        registry.heartbeat(key, beat, OptionalInt.empty());
        SweepResult result = sweepAt(t0.plusSeconds(91));

        assertThat(result.evicted()).isZero();
        assertThat(status()).isEqualTo(InstanceStatus.UP);
        assertThat(sweepAt(beat.plusSeconds(30).plus(MS)).markedStale()).isEqualTo(1);
    }

    @Test
    void perInstanceLeaseEvictsAtTheSameRatio() {
        Instant t0 = clock.instant();
        registry.register(TestInstances.instance("orders", "a", 8080, 10, t0), t0);
        registry.register(TestInstances.instance("orders", "long", 8081, 60, t0), t0);
        InstanceKey longKey = InstanceKey.of("orders", "long");

        sweepAt(t0.plusSeconds(10));
        assertThat(status()).isEqualTo(InstanceStatus.UP);
        sweepAt(t0.plusSeconds(10).plus(MS));
        assertThat(status()).isEqualTo(InstanceStatus.STALE);
        assertThat(registry.get(longKey).orElseThrow().status()).isEqualTo(InstanceStatus.UP);

        sweepAt(t0.plusSeconds(30));
        assertThat(status()).isEqualTo(InstanceStatus.STALE);
        assertThat(sweepAt(t0.plusSeconds(30).plus(MS)).evicted()).isEqualTo(1);
        assertThat(registry.get(key)).isEmpty();

        sweepAt(t0.plusSeconds(60));
        assertThat(registry.get(longKey).orElseThrow().status()).isEqualTo(InstanceStatus.UP);
        sweepAt(t0.plusSeconds(60).plus(MS));
        assertThat(registry.get(longKey).orElseThrow().status()).isEqualTo(InstanceStatus.STALE);
        sweepAt(t0.plusSeconds(180));
        assertThat(registry.get(longKey)).isPresent();
        assertThat(sweepAt(t0.plusSeconds(180).plus(MS)).evicted()).isEqualTo(1);
        assertThat(registry.size()).isZero();
    }

    @Test
    void aReRegistrationWithAShorterLeaseIsSweptAtTheNewDeadline() {
        Instant t0 = clock.instant();
        registry.register(TestInstances.instance("orders", "a", t0), t0);
        Instant t1 = t0.plusSeconds(5);
        registry.register(TestInstances.instance("orders", "a", 8080, 10, t1), t1);

        sweepAt(t1.plusSeconds(10).plus(MS));
        assertThat(status()).isEqualTo(InstanceStatus.STALE);
        sweepAt(t1.plusSeconds(30).plus(MS));
        assertThat(registry.get(key)).isEmpty();
        assertThat(events.events()).filteredOn(e -> e instanceof RegistryEvent.Evicted).hasSize(1);
    }

    @Test
    void aDeregisteredInstanceIsForgotten() {
        Instant t0 = clock.instant();
        registry.register(TestInstances.instance("orders", "a", t0), t0);
        assertThat(sweeper.pending()).isEqualTo(1);
        registry.deregister(key);
        assertThat(sweeper.pending()).as("deregistration leaves the deadline queue at once").isZero();

        assertThat(sweepAt(t0.plusSeconds(200))).isEqualTo(new SweepResult(0, 0, 0, 0));
        assertThat(sweeper.pending()).isZero();
        assertThat(events.kinds()).containsExactly(Kind.REGISTERED, Kind.DEREGISTERED);
    }

    @Test
    void healthyInstancesAreNotVisitedBySweeps() {
        Instant t0 = clock.instant();
        for (int n = 0; n < 1000; n++) {
            registry.register(TestInstances.instance("orders", "i" + n, t0), t0);
        }
        int examined = 0;
        for (int second = 1; second <= 120; second++) {
            Instant now = t0.plusSeconds(second);
            if (second % 10 == 0) {
                for (int n = 0; n < 1000; n++) {
                    registry.heartbeat(InstanceKey.of("orders", "i" + n), now, java.util.OptionalInt.empty());
                }
            }
            examined += sweepAt(now).examined();
        }
        assertThat(examined).as("instances looked at by 120 sweeps while all heartbeat").isZero();
        assertThat(sweeper.pending()).isEqualTo(1000);
        assertThat(registry.service(key.service()).count(InstanceStatus.UP)).isEqualTo(1000);
    }
}
