package io.beacon.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.beacon.registry.CapacityExceededException.Limit;
import io.beacon.support.MutableClock;
import io.beacon.support.RecordingListener;
import io.beacon.support.TestInstances;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Capacity limits in the registry's write path: for each limit the last instance accepted, the first
 * refused (with nothing changed: instances, index, events), a re-registration of a known id always
 * accepted, and room again once an instance leaves; concurrent registrations never overshoot.
 */
class CapacityLimitsTest {

    private final MutableClock clock = new MutableClock();
    private final RecordingListener events = new RecordingListener();

    private InMemoryRegistry registry(int perService, int services, int instances) {
        return new InMemoryRegistry(new RegistryEvents(List.of(events), new SimpleMeterRegistry(), clock),
                new CapacityLimits(perService, services, instances));
    }

    private Instance instance(String service, String id) {
        return TestInstances.instance(service, id, clock.instant());
    }

    private Instant now() {
        return clock.instant();
    }

    @Test
    void instancesPerServiceRefusesTheFirstOverTheLimitAndChangesNothing() {
        InMemoryRegistry registry = registry(3, 100, 100);
        registry.register(instance("orders", "a"), now());
        registry.register(instance("orders", "b"), now());
        Registry.Registration last = registry.register(instance("orders", "c"), now());
        assertThat(last.created()).isTrue();
        ServiceSnapshot before = registry.service(ServiceName.of("orders"));
        int eventsBefore = events.events().size();

        assertThatThrownBy(() -> registry.register(instance("orders", "d"), now()))
                .isInstanceOfSatisfying(CapacityExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo(Limit.INSTANCES_PER_SERVICE);
                    assertThat(e.maximum()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("'orders'", "beacon.limits.max-instances-per-service=3");
                });

        assertThat(registry.service(ServiceName.of("orders"))).isEqualTo(before);
        assertThat(registry.get(InstanceKey.of("orders", "d"))).isEmpty();
        assertThat(events.events()).hasSize(eventsBefore);
        // another service is not affected
        assertThat(registry.register(instance("billing", "d"), now()).created()).isTrue();
    }

    @Test
    void aKnownIdIsNeverRefusedAndALeavingInstanceMakesRoom() {
        InMemoryRegistry registry = registry(2, 100, 2);
        registry.register(instance("orders", "a"), now());
        registry.register(instance("orders", "b"), now());

        Instance changed = TestInstances.builder("orders", "b", 9090).metadata(Map.of("v", "2")).build(now());
        Registry.Registration again = registry.register(changed, now());
        assertThat(again.created()).isFalse();
        assertThat(again.instance().port()).isEqualTo(9090);

        assertThatThrownBy(() -> registry.register(instance("orders", "c"), now()))
                .isInstanceOf(CapacityExceededException.class);
        registry.deregister(InstanceKey.of("orders", "a"));
        assertThat(registry.register(instance("orders", "c"), now()).created()).isTrue();
        assertThat(registry.size()).isEqualTo(2);
    }

    @Test
    void servicesCountsOnlyServicesWithInstances() {
        InMemoryRegistry registry = registry(100, 2, 100);
        registry.register(instance("a", "1"), now());
        registry.register(instance("b", "1"), now());
        assertThat(registry.register(instance("b", "2"), now()).created()).isTrue();

        assertThatThrownBy(() -> registry.register(instance("c", "1"), now()))
                .isInstanceOfSatisfying(CapacityExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo(Limit.SERVICES);
                    assertThat(e.maximum()).isEqualTo(2);
                    assertThat(e.getMessage()).contains("beacon.limits.max-services=2");
                });
        assertThat(registry.services()).extracting(s -> s.name().value()).containsExactly("a", "b");
        assertThat(registry.index(ServiceName.of("c"))).isZero();

        registry.deregister(InstanceKey.of("a", "1"));
        assertThat(registry.register(instance("c", "1"), now()).created()).isTrue();
        assertThat(registry.services()).extracting(s -> s.name().value()).containsExactly("b", "c");
    }

    @Test
    void instancesCountsEveryServiceAndEvictionsMakeRoom() {
        InMemoryRegistry registry = registry(100, 100, 3);
        registry.register(instance("a", "1"), now());
        registry.register(instance("a", "2"), now());
        registry.register(instance("b", "1"), now());

        assertThatThrownBy(() -> registry.register(instance("c", "1"), now()))
                .isInstanceOfSatisfying(CapacityExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo(Limit.INSTANCES);
                    assertThat(e.maximum()).isEqualTo(3);
                });
        assertThatThrownBy(() -> registry.register(instance("a", "3"), now()))
                .isInstanceOfSatisfying(CapacityExceededException.class,
                        e -> assertThat(e.limit()).isEqualTo(Limit.INSTANCES));
        assertThat(registry.size()).isEqualTo(3);
        // the refused new service did not take a service place: a new one fits once an instance leaves
        registry.expire(InstanceKey.of("a", "1"), now(), i -> ExpiryDecision.EVICT);
        assertThat(registry.register(instance("c", "1"), now()).created()).isTrue();
        assertThat(registry.size()).isEqualTo(3);
    }

    @Test
    void concurrentRegistrationsNeverOvershoot() throws Exception {
        InMemoryRegistry registry = registry(30, 5, 40);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Future<?>> tasks = new ArrayList<>();
        try {
            for (int t = 0; t < 8; t++) {
                int thread = t;
                tasks.add(pool.submit(() -> {
                    start.await();
                    for (int n = 0; n < 50; n++) {
                        try {
                            registry.register(instance("s" + (n % 7), thread + "-" + n), now());
                            accepted.incrementAndGet();
                        } catch (CapacityExceededException e) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> task : tasks) {
                task.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(accepted.get()).isEqualTo(40);
        assertThat(refused.get()).isEqualTo(8 * 50 - 40);
        assertThat(registry.size()).isEqualTo(40);
        assertThat(registry.services()).hasSizeLessThanOrEqualTo(5)
                .allSatisfy(s -> assertThat(s.instances()).hasSizeLessThanOrEqualTo(30));
    }

    @Test
    void checkRefusesWithoutReservingForWritersThatApplyChangesMadeElsewhere() {
        ServiceTable<Instance> table = new ServiceTable<>(
                new RegistryEvents(List.of(events), new SimpleMeterRegistry(), clock), Function.identity(),
                new CapacityLimits(2, 1, 10));
        ServiceName orders = ServiceName.of("orders");
        table.check(orders, "a");
        apply(table, instance("orders", "a"));
        apply(table, instance("orders", "b"));

        table.check(orders, "b"); // known id
        assertThatThrownBy(() -> table.check(orders, "c")).isInstanceOfSatisfying(CapacityExceededException.class,
                e -> assertThat(e.limit()).isEqualTo(Limit.INSTANCES_PER_SERVICE));
        assertThatThrownBy(() -> table.check(ServiceName.of("billing"), "a"))
                .isInstanceOfSatisfying(CapacityExceededException.class,
                        e -> assertThat(e.limit()).isEqualTo(Limit.SERVICES));
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.liveServices()).isEqualTo(1);
    }

    /** A change applied as the cluster's local view applies one: put, then report it. */
    private static void apply(ServiceTable<Instance> table, Instance instance) {
        ServiceTable.Entry<Instance> entry = table.entry(instance.service());
        entry.write(() -> {
            entry.instances().put(instance.id(), instance);
            return entry.registered(instance);
        });
    }
}
