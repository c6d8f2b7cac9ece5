package io.beacon.outlier;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.policy.PolicyStore;
import io.beacon.policy.ServicePolicy;
import io.beacon.registry.InMemoryRegistry;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceState;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Lease;
import io.beacon.registry.ServiceName;
import io.beacon.support.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Breaker transitions, growing ejections and the ejection cap, driven by a mutable clock. */
class OutlierDetectorTest {

    static final ServiceName API = ServiceName.of("api");

    MutableClock clock = new MutableClock();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    PolicyStore policies = new PolicyStore(e -> {
    });
    OutlierProperties defaults = new OutlierProperties(true, 5, 50, 20, Duration.ofSeconds(30),
            Duration.ofSeconds(100), 50, 50, 2, Duration.ofSeconds(1));
    OutlierDetector detector;
    InMemoryRegistry registry = new InMemoryRegistry(event -> detector.on(event));

    @BeforeEach
    void setUp() {
        detector = new OutlierDetector(registry, policies, defaults, clock, meters);
    }

    InstanceKey register(String id) {
        Instant now = clock.instant();
        Instance i = new Instance(API, id, "10.0.0.1", 8080, Map.of(), null, null, null, 1,
                Lease.start(now, Duration.ofSeconds(30), Duration.ofSeconds(90)),
                InstanceState.initial(InstanceStatus.UP, now), 0, null, Map.of(), now);
        return registry.register(i, now).instance().key();
    }

    OutlierDetector.Outcome report(InstanceKey key, boolean success, int times) {
        OutlierDetector.Outcome last = null;
        for (int n = 0; n < times; n++) {
            last = detector.report(key, success, 12).orElseThrow();
        }
        return last;
    }

    boolean ejected(InstanceKey key) {
        return registry.get(key).orElseThrow().state().ejected();
    }

    @Test
    void consecutiveFailuresEjectForTheBaseTime() {
        InstanceKey a = register("a");
        register("b");
        assertThat(report(a, false, 4).breaker()).isEqualTo(State.CLOSED);
        assertThat(ejected(a)).isFalse();
        OutlierDetector.Outcome fifth = report(a, false, 1);
        assertThat(fifth.breaker()).isEqualTo(State.OPEN);
        assertThat(fifth.ejected()).isTrue();
        assertThat(fifth.ejectedUntil()).isEqualTo(clock.instant().plusSeconds(30));
        Instance shown = registry.get(a).orElseThrow();
        assertThat(shown.state().ejected()).isTrue();
        assertThat(shown.state().isDiscoverable()).isFalse();
        assertThat(shown.state().reason()).isEqualTo("ejected by outlier detection");
        assertThat(registry.service(API).discoverable()).extracting(Instance::id).containsExactly("b");
        assertThat(meters.counter("beacon.ejections").count()).isEqualTo(1);
    }

    @Test
    void theFactsOfAnEjectionAndOfItsBreaker() {
        InstanceKey a = register("a");
        register("b");
        assertThat(detector.of(registry.get(a).orElseThrow()))
                .isEqualTo(new io.beacon.web.StatusFacts(null, null, null, "CLOSED"));
        report(a, false, 5);
        java.time.Instant until = clock.instant().plusSeconds(30);
        assertThat(detector.of(registry.get(a).orElseThrow()))
                .isEqualTo(new io.beacon.web.StatusFacts(null, until, 5, "OPEN"));
        clock.advance(Duration.ofSeconds(31));
        detector.sweep(clock.instant());
        assertThat(detector.of(registry.get(a).orElseThrow()))
                .isEqualTo(new io.beacon.web.StatusFacts(null, null, null, "HALF_OPEN"));
    }

    @Test
    void successResetsTheConsecutiveCount() {
        InstanceKey a = register("a");
        register("b");
        report(a, false, 4);
        report(a, true, 1);
        assertThat(report(a, false, 4).breaker()).isEqualTo(State.CLOSED);
        assertThat(ejected(a)).isFalse();
    }

    @Test
    void failureRateOverTheWindowEjects() {
        policies.put(API, new ServicePolicy(null, null,
                new ServicePolicy.OutlierPolicy(100, 50, 10, null, null, null, null, null)));
        InstanceKey a = register("a");
        register("b");
        for (int n = 0; n < 4; n++) {
            report(a, false, 1);
            report(a, true, 1);
        }
        assertThat(detector.state(a)).isEqualTo(State.CLOSED);
        report(a, false, 1);
        OutlierDetector.Outcome tenth = report(a, true, 1);
        assertThat(tenth.breaker()).isEqualTo(State.OPEN);
        assertThat(ejected(a)).isTrue();
    }

    @Test
    void openIgnoresReportsThenHalfOpenLetsALimitedNumberDecide() {
        InstanceKey a = register("a");
        register("b");
        report(a, false, 5);
        OutlierDetector.Outcome ignored = report(a, true, 1);
        assertThat(ignored.recorded()).isFalse();
        assertThat(ignored.breaker()).isEqualTo(State.OPEN);

        clock.advance(Duration.ofSeconds(29));
        detector.sweep(clock.instant());
        assertThat(detector.state(a)).isEqualTo(State.OPEN);
        clock.advance(Duration.ofSeconds(2));
        detector.sweep(clock.instant());
        assertThat(detector.state(a)).isEqualTo(State.HALF_OPEN);
        assertThat(ejected(a)).isFalse();

        assertThat(report(a, true, 1).breaker()).isEqualTo(State.HALF_OPEN);
        OutlierDetector.Outcome second = report(a, true, 1);
        assertThat(second.breaker()).isEqualTo(State.CLOSED);
        assertThat(second.ejected()).isFalse();
    }

    @Test
    void reportAfterTheEjectionTimeMovesToHalfOpenWithoutASweep() {
        InstanceKey a = register("a");
        register("b");
        report(a, false, 5);
        clock.advance(Duration.ofSeconds(31));
        OutlierDetector.Outcome first = report(a, true, 1);
        assertThat(first.recorded()).isTrue();
        assertThat(first.breaker()).isEqualTo(State.HALF_OPEN);
        assertThat(ejected(a)).isFalse();
    }

    @Test
    void repeatedEjectionsLastLongerUpToTheCap() {
        InstanceKey a = register("a");
        register("b");
        report(a, false, 5);
        long[] expected = {60, 90, 100, 100};
        for (long seconds : expected) {
            clock.advance(Duration.ofSeconds(101));
            detector.sweep(clock.instant());
            assertThat(detector.state(a)).isEqualTo(State.HALF_OPEN);
            report(a, false, 1);
            OutlierDetector.Outcome again = report(a, false, 1);
            assertThat(again.breaker()).isEqualTo(State.OPEN);
            assertThat(again.ejectedUntil()).isEqualTo(clock.instant().plusSeconds(seconds));
            clock.advance(Duration.ofSeconds(seconds - 1));
            detector.sweep(clock.instant());
            assertThat(detector.state(a)).as("still ejected just before %ss", seconds).isEqualTo(State.OPEN);
        }
        assertThat(meters.counter("beacon.ejections").count()).isEqualTo(5);
    }

    @Test
    void ejectionCountStartsOverAfterALongHealthySpell() {
        InstanceKey a = register("a");
        register("b");
        report(a, false, 5);
        clock.advance(Duration.ofSeconds(31));
        report(a, true, 2);
        assertThat(detector.state(a)).isEqualTo(State.CLOSED);
        clock.advance(Duration.ofSeconds(100));
        assertThat(report(a, false, 5).ejectedUntil()).isEqualTo(clock.instant().plusSeconds(30));
    }

    @Test
    void atMostMaxEjectionPercentAreEjected() {
        InstanceKey[] keys = new InstanceKey[4];
        for (int n = 0; n < 4; n++) {
            keys[n] = register("i" + n);
        }
        assertThat(report(keys[0], false, 5).ejected()).isTrue();
        assertThat(report(keys[1], false, 5).ejected()).isTrue();
        OutlierDetector.Outcome refused = report(keys[2], false, 5);
        assertThat(refused.ejected()).isFalse();
        assertThat(refused.breaker()).isEqualTo(State.CLOSED);
        assertThat(ejected(keys[2])).isFalse();
        assertThat(registry.service(API).instances().stream().filter(i -> i.state().ejected()).count()).isEqualTo(2);
        assertThat(meters.counter("beacon.ejections").count()).isEqualTo(2);
    }

    @Test
    void oneInstanceIsAlwaysEjectable() {
        policies.put(API, new ServicePolicy(null, null,
                new ServicePolicy.OutlierPolicy(null, null, null, null, null, 0, null, null)));
        InstanceKey a = register("a");
        InstanceKey b = register("b");
        assertThat(report(a, false, 5).ejected()).isTrue();
        assertThat(report(b, false, 5).ejected()).isFalse();
    }

    @Test
    void unknownInstanceIsNotRecordedAndRemovalDropsTheBreaker() {
        assertThat(detector.report(InstanceKey.of("api", "nope"), false, 1)).isEmpty();
        InstanceKey a = register("a");
        register("b");
        report(a, false, 5);
        registry.deregister(a);
        assertThat(detector.state(a)).isEqualTo(State.CLOSED);
    }

    @Test
    void panicModeWhenTooFewUpInstancesAreNotEjected() {
        OutlierPanicMode panic = new OutlierPanicMode(policies, defaults);
        InstanceKey a = register("a");
        InstanceKey b = register("b");
        register("c");
        assertThat(panic.test(registry.service(API))).isFalse();
        report(a, false, 5);
        assertThat(panic.test(registry.service(API))).isFalse();
        policies.put(API, new ServicePolicy(null, null,
                new ServicePolicy.OutlierPolicy(null, null, null, null, null, 100, 50, null)));
        report(b, false, 5);
        assertThat(ejected(b)).isTrue();
        assertThat(panic.test(registry.service(API))).isTrue();
    }
}
