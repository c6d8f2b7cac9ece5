package io.beacon.eureka;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.InMemoryRegistry;
import io.beacon.registry.InstanceKey;
import io.beacon.support.MutableClock;
import io.beacon.support.TestInstances;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /eureka/apps/delta}'s body is built once per state of the retained changes and shared by the
 * readers of that state: a new change, or one ageing out of the retention, gives a new body.
 */
class EurekaDeltaSharedTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final RecentChanges changes = new RecentChanges(clock, new EurekaProperties(Duration.ofMinutes(3), 100_000));
    private final InMemoryRegistry registry = new InMemoryRegistry(changes);
    private final EurekaApps apps = new EurekaApps(registry, changes);
    private final Function<EurekaApps.Applications, byte[]> json = EurekaJson::applications;

    private void register(String id) {
        registry.register(TestInstances.instance("orders", id, clock.instant()), clock.instant());
    }

    @Test
    void readersOfOneStateShareOneBodyWithTheBytesOfAFreshBuild() throws Exception {
        for (int i = 0; i < 200; i++) {
            register("i-" + i);
        }
        long before = apps.deltaBuilds();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<CompletableFuture<byte[]>> bodies = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                bodies.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return apps.deltaEncoded("json", json);
                }, pool));
            }
            start.countDown();
            CompletableFuture.allOf(bodies.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(apps.deltaBuilds() - before).isEqualTo(1);
        byte[] first = bodies.get(0).get();
        assertThat(bodies).allSatisfy(b -> assertThat(b.get()).isSameAs(first));
        assertThat(first).isEqualTo(json.apply(apps.delta()));
        assertThat(new String(first)).contains("\"instanceId\"").contains("ADDED");
    }

    @Test
    void aChangeOrAChangeAgeingOutGivesANewBody() {
        register("a");
        byte[] first = apps.deltaEncoded("json", json);
        assertThat(apps.deltaEncoded("json", json)).isSameAs(first);
        assertThat(apps.deltaBuilds()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        assertThat(apps.deltaEncoded("json", json)).as("time alone changes nothing retained").isSameAs(first);

        registry.deregister(InstanceKey.of("orders", "a"));
        byte[] afterChange = apps.deltaEncoded("json", json);
        assertThat(afterChange).isNotSameAs(first).isEqualTo(json.apply(apps.delta()));
        assertThat(new String(afterChange)).contains("DELETED");

        clock.advance(Duration.ofMinutes(4));
        byte[] afterRetention = apps.deltaEncoded("json", json);
        assertThat(afterRetention).isNotSameAs(afterChange).isEqualTo(json.apply(apps.delta()));
        assertThat(new String(afterRetention)).doesNotContain("DELETED").doesNotContain("\"instanceId\"");
        assertThat(apps.deltaBuilds()).isEqualTo(3);
        assertThat(apps.deltaEncoded("xml", EurekaXml::applications)).isNotEqualTo(afterRetention);
    }
}
