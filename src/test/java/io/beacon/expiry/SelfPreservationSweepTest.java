package io.beacon.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.expiry.ExpirySweeper;
import io.beacon.expiry.SweepResult;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceState;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Lease;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.support.MutableClock;
import io.beacon.support.TestClockConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;

/** Self-preservation entering and leaving, with the real sweeper driven by a mutable clock. */
@SpringBootTest(properties = "beacon.sweep.interval=1h")
@Import(TestClockConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class SelfPreservationSweepTest {

    @Autowired
    Registry registry;
    @Autowired
    ExpirySweeper sweeper;
    @Autowired
    MutableClock clock;
    @Autowired
    SelfPreservation selfPreservation;
    @Autowired
    MeterRegistry meters;

    InstanceKey register(String service, String id) {
        Instant now = clock.instant();
        Instance i = new Instance(ServiceName.of(service), id, "10.0.0.1", 8080, Map.of(), null, null, null, 1,
                Lease.start(now, Duration.ofSeconds(30), Duration.ofSeconds(90)),
                InstanceState.initial(InstanceStatus.UP, now), 0, null, Map.of(), now);
        return registry.register(i, now).instance().key();
    }

    @Test
    void holdsEvictionsWhileMostLeasesLapseAndLetsGoWhenHeartbeatsReturn(CapturedOutput output) {
        InstanceKey[] keys = new InstanceKey[10];
        for (int n = 0; n < 10; n++) {
            keys[n] = register("orders", "o" + n);
        }
        clock.advance(Duration.ofSeconds(31));
        SweepResult staleSweep = sweeper.sweep(clock.instant());
        assertThat(staleSweep.markedStale()).isEqualTo(10);
        assertThat(selfPreservation.isActive()).isFalse();

        clock.advance(Duration.ofSeconds(60));
        SweepResult held = sweeper.sweep(clock.instant());
        assertThat(held.evicted()).isZero();
        assertThat(held.evictionsDeferred()).isEqualTo(10);
        assertThat(registry.size()).isEqualTo(10);
        assertThat(registry.get(keys[0]).orElseThrow().status()).isEqualTo(InstanceStatus.STALE);
        assertThat(selfPreservation.isActive()).isTrue();
        assertThat(meters.get("beacon.self.preservation").gauge().value()).isEqualTo(1.0);
        assertThat(output.getOut().lines().filter(l -> l.contains("WARN") && l.contains("Self-preservation ON")))
                .singleElement().asString()
                .contains("10 of 10 instances", "beacon.self-preservation.enabled=false", "threshold-percent");

        clock.advance(Duration.ofSeconds(5));
        assertThat(sweeper.sweep(clock.instant()).evictionsDeferred()).isEqualTo(10);
        assertThat(output.getOut().lines().filter(l -> l.contains("Self-preservation ON")).count()).isEqualTo(1);

        for (int n = 0; n < 8; n++) {
            registry.heartbeat(keys[n], clock.instant(), OptionalInt.empty());
        }
        clock.advance(Duration.ofSeconds(1));
        SweepResult recovered = sweeper.sweep(clock.instant());
        assertThat(selfPreservation.isActive()).isFalse();
        assertThat(recovered.evicted()).isEqualTo(2);
        assertThat(registry.size()).isEqualTo(8);
        assertThat(meters.get("beacon.self.preservation").gauge().value()).isZero();
    }
}
