package io.beacon.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.policy.PolicyChanged;
import io.beacon.policy.ServicePolicy;
import io.beacon.registry.Instance;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.ServiceName;
import io.beacon.support.TestInstances;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class DiscoveryCacheTest {

    private final DiscoveryCache cache = new DiscoveryCache(JsonMapper.builder().build(), 3);
    private final ServiceName orders = ServiceName.of("orders");
    private final Instance instance = TestInstances.instance("orders", "a", Instant.parse("2030-01-01T00:00:00Z"));
    private final AtomicInteger builds = new AtomicInteger();

    private DiscoveryCache.Answer get(ServiceName name, long index) {
        return cache.get(name, () -> {
            builds.incrementAndGet();
            return Responses.Discovery.of(name.value(), List.of(instance), index);
        });
    }

    @Test
    void reusesTheAnswerUntilTheServiceChanges() {
        DiscoveryCache.Answer first = get(orders, 7);
        assertThat(get(orders, 7)).isSameAs(first);
        assertThat(builds).hasValue(1);
        assertThat(new String(first.body())).contains("\"index\":7").contains("\"id\":\"a\"");
        assertThat(first.index()).isEqualTo(7);

        cache.on(new RegistryEvent.Renewed(instance, instance, 7));
        DiscoveryCache.Answer afterRenewal = get(orders, 7);
        assertThat(afterRenewal).isNotSameAs(first);
        assertThat(builds).hasValue(2);

        cache.on(new PolicyChanged(orders, ServicePolicy.NONE));
        get(orders, 8);
        assertThat(builds).hasValue(3);
    }

    @Test
    void aChangeToAnotherServiceKeepsTheAnswer() {
        get(orders, 1);
        Instance other = TestInstances.instance("billing", "b", Instant.parse("2030-01-01T00:00:00Z"));
        cache.on(new RegistryEvent.Registered(other, 2));
        get(orders, 1);
        assertThat(builds).hasValue(1);
    }

    @Test
    void staysWithinItsBound() {
        for (int i = 0; i < 10; i++) {
            get(ServiceName.of("svc-" + i), i);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(3);
    }

    @Test
    void concurrentReadersOfOneChangeShareOneBuild() {
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<DiscoveryCache.Answer>> answers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            CompletableFuture<DiscoveryCache.Answer> answer = new CompletableFuture<>();
            answers.add(answer);
            Thread t = new Thread(() -> answer.complete(cache.get(orders, () -> {
                builds.incrementAndGet();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Responses.Discovery.of("orders", List.of(instance), 4);
            })));
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> threads.stream()
                .allMatch(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING));
        release.countDown();

        DiscoveryCache.Answer first = answers.get(0).join();
        assertThat(answers).allSatisfy(a -> assertThat(a.join()).isSameAs(first));
        assertThat(first.body()).isSameAs(answers.get(15).join().body());
        assertThat(new String(first.body())).contains("\"index\":4");
        assertThat(builds).hasValue(1);
    }
}
