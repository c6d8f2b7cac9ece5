package io.beacon.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.InMemoryRegistry;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.role.NodeRole;
import io.beacon.support.MutableClock;
import io.beacon.support.RecordingListener;
import io.beacon.support.TestInstances;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sweeper applies expiry only while this member holds the node role, and catches up once it gets it. */
class NodeRoleSweepTest {

    /** A role handed over by the test. */
    static final class HandedRole implements NodeRole {
        volatile boolean held;

        @Override
        public boolean holdsExpiry() {
            return held;
        }

        @Override
        public String holder() {
            return held ? "me" : "other";
        }

        @Override
        public String member() {
            return "me";
        }

        @Override
        public void addListener(Listener listener) {
        }
    }

    @Test
    void aMemberWithoutTheRoleChangesNothingAndTheNewHolderMarksEveryDueInstanceAtItsFirstPass() {
        MutableClock clock = new MutableClock();
        RecordingListener events = new RecordingListener();
        InMemoryRegistry registry = new InMemoryRegistry(events);
        HandedRole role = new HandedRole();
        ExpirySweeper sweeper = new ExpirySweeper(registry, clock, new SweepProperties(Duration.ofHours(1)),
                Optional.empty(), role);
        events.forwardTo(sweeper::on);
        Instant t0 = clock.instant();
        registry.register(TestInstances.instance("orders", "a", t0), t0);
        registry.register(TestInstances.instance("orders", "b", t0), t0);

        Instant lapsed = t0.plusSeconds(31);
        assertThat(sweeper.sweep(lapsed)).isEqualTo(SweepResult.NONE);
        assertThat(registry.get(InstanceKey.of("orders", "a")).orElseThrow().status()).isEqualTo(InstanceStatus.UP);
        assertThat(sweeper.pending()).isEqualTo(2);

        role.held = true;
        assertThat(sweeper.sweep(lapsed)).isEqualTo(new SweepResult(2, 2, 0, 0));
        assertThat(registry.get(InstanceKey.of("orders", "b")).orElseThrow().status()).isEqualTo(InstanceStatus.STALE);
    }
}
