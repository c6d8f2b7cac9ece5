package io.beacon.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.CheckSpec;
import io.beacon.registry.ExpiryDecision;
import io.beacon.registry.InMemoryRegistry;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceState;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Lease;
import io.beacon.registry.ServiceName;
import io.beacon.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Check lifecycle and verdicts against real local servers; rounds are triggered by hand. */
class HealthCheckSchedulerTest {

    static final Duration LEASE = Duration.ofSeconds(30);

    MutableClock clock = new MutableClock();
    ManualCheckScheduler scheduler = new ManualCheckScheduler();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    TestServers servers = new TestServers();
    /** Seeded, so the spread of first runs is the same on every run. */
    RandomGenerator random = new SplittableRandom(42);
    ProbePools pools = new ProbePools();
    CheckProbe probe = pools.probe;
    HealthCheckScheduler checks;
    InMemoryRegistry registry = new InMemoryRegistry(event -> checks.on(event));

    @BeforeEach
    void setUp() {
        checks = new HealthCheckScheduler(registry, scheduler, probe, clock, random, meters);
    }

    @AfterEach
    void tearDown() {
        checks.destroy();
        pools.close();
        servers.close();
    }

    Instance register(String id, CheckSpec check) {
        Instant now = clock.instant();
        Instance candidate = new Instance(ServiceName.of("api"), id, "127.0.0.1", 8080, Map.of(), null, null, null, 1,
                Lease.start(now, LEASE, Duration.ofSeconds(90)), InstanceState.initial(InstanceStatus.UP, now), 0,
                check, Map.of(), now);
        return registry.register(candidate, now).instance();
    }

    static CheckSpec http(String url, int failuresBeforeDown, int successesBeforeUp) {
        return new CheckSpec(CheckSpec.Type.HTTP, url, Duration.ofSeconds(10), Duration.ofMillis(500),
                failuresBeforeDown, successesBeforeUp);
    }

    Instance check(InstanceKey key) throws Exception {
        assertThat(checks.checkNow(key).get(10, TimeUnit.SECONDS)).isTrue();
        return registry.get(key).orElseThrow();
    }

    @Test
    void startsOnRegistrationWithJitterAndStopsOnDeregistration() {
        InstanceKey key = register("a", http(servers.url("/ok"), 3, 1)).key();
        register("no-check", null);
        assertThat(scheduler.active()).hasSize(1);
        ManualCheckScheduler.Task task = scheduler.active().get(0);
        assertThat(task.interval).isEqualTo(Duration.ofSeconds(10));
        assertThat(task.initialDelay).isBetween(Duration.ZERO, Duration.ofSeconds(10));
        registry.deregister(key);
        assertThat(scheduler.active()).isEmpty();
        assertThat(checks.running()).isZero();
    }

    @Test
    void theFirstRunsDelayIsDrawnFromTheInjectedRandomSource() {
        // bounded draws of a generator that always yields 14,000: (14,000 >>> 1) % 10,000 ms = 7 s
        random = () -> 14_000L;
        checks = new HealthCheckScheduler(registry, scheduler, probe, clock, random, meters);
        register("a", http(servers.url("/ok"), 3, 1));
        assertThat(scheduler.active()).singleElement()
                .satisfies(t -> assertThat(t.initialDelay).isEqualTo(Duration.ofSeconds(7)));
    }

    @Test
    void stopsOnEviction() {
        InstanceKey key = register("a", http(servers.url("/ok"), 3, 1)).key();
        registry.expire(key, clock.instant(), i -> ExpiryDecision.EVICT);
        assertThat(scheduler.active()).isEmpty();
    }

    @Test
    void firstRunsSpreadAcrossTheInterval() {
        for (int i = 0; i < 10_000; i++) {
            register("i" + i, http(servers.url("/ok"), 3, 1));
        }
        int[] perSecond = new int[10];
        scheduler.active().forEach(t -> perSecond[(int) (t.initialDelay.toMillis() / 1000)]++);
        for (int count : perSecond) {
            assertThat(count).isBetween(850, 1150);
        }
    }

    @Test
    void failingCheckTurnsDownAfterThresholdAndUpAfterSuccesses() throws Exception {
        InstanceKey key = register("a", http(servers.url("/toggle"), 3, 2)).key();
        servers.toggle.set(500);
        assertThat(check(key).status()).isEqualTo(InstanceStatus.UP);
        assertThat(check(key).status()).isEqualTo(InstanceStatus.UP);
        Instance down = check(key);
        assertThat(down.status()).isEqualTo(InstanceStatus.DOWN);
        assertThat(down.state().checkPassing()).isFalse();
        assertThat(down.state().reason()).isEqualTo("health check failing");
        assertThat(checks.progress(key)).get().satisfies(p -> {
            assertThat(p.failures()).isEqualTo(3);
            assertThat(p.lastAnswer()).isEqualTo("HTTP 500");
        });
        assertThat(checks.of(down).checkAnswer()).isEqualTo("HTTP 500");

        servers.toggle.set(200);
        assertThat(check(key).status()).isEqualTo(InstanceStatus.DOWN);
        Instance up = check(key);
        assertThat(up.status()).isEqualTo(InstanceStatus.UP);
        assertThat(up.state().checkPassing()).isTrue();
        assertThat(checks.progress(key)).get().satisfies(p -> assertThat(p.lastAnswer()).isEqualTo("HTTP 200"));
        assertThat(meters.counter("beacon.checks", "type", "http", "result", "failing").count()).isEqualTo(3);
        assertThat(meters.counter("beacon.checks", "type", "http", "result", "passing").count()).isEqualTo(2);
    }

    @Test
    void scheduledRoundRunsTheCheck() {
        InstanceKey key = register("a", http(servers.url("/fail"), 1, 1)).key();
        scheduler.runRound();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get(key).orElseThrow().status() == InstanceStatus.DOWN);
    }

    @Test
    void passingCheckKeepsAnInstanceWithoutHeartbeatsAlive() throws Exception {
        InstanceKey key = register("a", http(servers.url("/ok"), 3, 1)).key();
        clock.advance(Duration.ofSeconds(20));
        Instance renewed = check(key);
        assertThat(renewed.lease().lastRenewedAt()).isEqualTo(clock.instant());

        clock.advance(Duration.ofSeconds(40));
        registry.expire(key, clock.instant(), i -> ExpiryDecision.MARK_STALE);
        assertThat(registry.get(key).orElseThrow().status()).isEqualTo(InstanceStatus.STALE);
        Instance back = check(key);
        assertThat(back.status()).isEqualTo(InstanceStatus.UP);
        assertThat(back.lease().lastRenewedAt()).isEqualTo(clock.instant());
    }

    @Test
    void instanceThatHeartbeatsMustAlsoKeepItsLease() throws Exception {
        InstanceKey key = register("a", http(servers.url("/ok"), 3, 1)).key();
        clock.advance(Duration.ofSeconds(5));
        Instant heartbeat = clock.instant();
        registry.heartbeat(key, heartbeat, OptionalInt.empty());
        clock.advance(Duration.ofSeconds(10));
        Instance checked = check(key);
        assertThat(checked.state().checkPassing()).isTrue();
        assertThat(checked.lease().lastRenewedAt()).isEqualTo(heartbeat);
    }

    @Test
    void changedCheckRestartsAndRemovedCheckStops() {
        register("a", http(servers.url("/ok"), 3, 1));
        register("a", http(servers.url("/fail"), 3, 1));
        assertThat(scheduler.active()).hasSize(1);
        assertThat(scheduler.tasks()).hasSize(2);
        register("a", null);
        assertThat(scheduler.active()).isEmpty();
    }
}
