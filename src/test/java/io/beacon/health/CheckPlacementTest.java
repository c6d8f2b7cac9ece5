package io.beacon.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.CheckSpec;
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
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two schedulers over one registry, as two cluster members over the replicated one: only the owner runs
 * a check, and the member that takes a check over continues the counts the other saved.
 */
class CheckPlacementTest {

    MutableClock clock = new MutableClock();
    TestServers servers = new TestServers();
    ProbePools pools = new ProbePools();
    /** Which member owns every check, and the shared progress. */
    volatile String owner = "one";
    Map<InstanceKey, CheckProgress> shared = new ConcurrentHashMap<>();
    InMemoryRegistry registry = new InMemoryRegistry(event -> {
        one().checks.on(event);
        two().checks.on(event);
    });
    Member one = new Member("one");
    Member two = new Member("two");

    private Member one() {
        return one;
    }

    private Member two() {
        return two;
    }

    final class Member implements CheckPlacement {
        final String name;
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final HealthCheckScheduler checks;

        Member(String name) {
            this.name = name;
            this.checks = new HealthCheckScheduler(registry, new ManualCheckScheduler(), pools.probe, clock,
                    new SplittableRandom(1), meters, this);
        }

        @Override
        public boolean owns(InstanceKey key) {
            return owner.equals(name);
        }

        @Override
        public Optional<CheckProgress> progress(InstanceKey key) {
            return Optional.ofNullable(shared.get(key));
        }

        @Override
        public void save(InstanceKey key, CheckProgress progress) {
            shared.put(key, progress);
        }

        @Override
        public void forget(InstanceKey key) {
            shared.remove(key);
        }

        double runs() {
            return meters.find("beacon.checks").counters().stream().mapToDouble(c -> c.count()).sum();
        }

        boolean runNow(InstanceKey key) throws Exception {
            return checks.checkNow(key).get(10, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void tearDown() {
        one.checks.destroy();
        two.checks.destroy();
        pools.close();
        servers.close();
    }

    InstanceKey register(String url) {
        Instant now = clock.instant();
        CheckSpec spec = new CheckSpec(CheckSpec.Type.HTTP, url, Duration.ofSeconds(10), Duration.ofMillis(500), 2, 2);
        Instance candidate = new Instance(ServiceName.of("api"), "i-1", "127.0.0.1", 8080, Map.of(), null, null, null,
                1, Lease.start(now, Duration.ofSeconds(30), Duration.ofSeconds(90)),
                InstanceState.initial(InstanceStatus.UP, now), 0, spec, Map.of(), now);
        return registry.register(candidate, now).instance().key();
    }

    @Test
    void onlyTheOwnerRunsTheCheckAndANewOwnerContinuesItsCounts() throws Exception {
        InstanceKey key = register(servers.url("/toggle"));
        assertThat(one.checks.running()).isEqualTo(1);
        assertThat(two.checks.running()).isEqualTo(1);

        servers.toggle.set(500);
        assertThat(one.runNow(key)).isTrue();
        assertThat(two.runNow(key)).isFalse(); // not its check: no probe
        assertThat(one.runs()).isEqualTo(1);
        assertThat(two.runs()).isZero();
        assertThat(shared.get(key).failures()).isEqualTo(1);
        assertThat(registry.get(key).orElseThrow().status()).isEqualTo(InstanceStatus.UP);

        owner = "two"; // the first member left: the second continues at one failure
        assertThat(one.runNow(key)).isFalse();
        assertThat(two.runNow(key)).isTrue();
        assertThat(registry.get(key).orElseThrow().status()).isEqualTo(InstanceStatus.DOWN);
        assertThat(shared.get(key).failures()).isEqualTo(2);

        servers.toggle.set(200);
        assertThat(two.runNow(key)).isTrue();
        owner = "one"; // back again: the first member reads the progress the second saved, not its own
        assertThat(one.runNow(key)).isTrue();
        assertThat(registry.get(key).orElseThrow().status()).isEqualTo(InstanceStatus.UP);
        assertThat(shared.get(key)).extracting(CheckProgress::successes, CheckProgress::failures)
                .containsExactly(2, 0);

        registry.deregister(key);
        assertThat(shared).isEmpty(); // forgotten by the owner
        assertThat(one.checks.running()).isZero();
        assertThat(two.checks.running()).isZero();
    }
}
