package io.beacon.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.beacon.registry.RegistryEvent.Kind;
import io.beacon.support.MutableClock;
import io.beacon.support.RecordingListener;
import io.beacon.support.TestInstances;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@link InMemoryRegistry} on its own: a mutable clock and a publisher that records every event. */
class InMemoryRegistryTest {

    private final MutableClock clock = new MutableClock();
    private final RecordingListener events = new RecordingListener();
    private final InMemoryRegistry registry = new InMemoryRegistry(events);
    private final ServiceName orders = ServiceName.of("orders");

    private Instance instance(String id) {
        return TestInstances.instance("orders", id, clock.instant());
    }

    @Test
    void registersANewIdAsCreatedAndARepeatAsAnUpdateKeepingTheRegistrationTime() {
        Instant first = clock.instant();
        Registry.Registration created = registry.register(instance("a"), first);
        assertThat(created.created()).isTrue();
        assertThat(created.index()).isPositive();

        clock.advance(Duration.ofSeconds(12));
        Instance changed = TestInstances.builder("orders", "a", 9090).metadata(Map.of("v", "2")).build(clock.instant());
        Registry.Registration updated = registry.register(changed, clock.instant());

        assertThat(updated.created()).isFalse();
        assertThat(updated.index()).isGreaterThan(created.index());
        Instance stored = registry.get(InstanceKey.of("orders", "a")).orElseThrow();
        assertThat(stored.port()).isEqualTo(9090);
        assertThat(stored.metadata()).isEqualTo(Map.of("v", "2"));
        assertThat(stored.lease().registeredAt()).isEqualTo(first);
        assertThat(stored.lease().lastRenewedAt()).isEqualTo(clock.instant());
        assertThat(stored.updatedAt()).isEqualTo(clock.instant());
        assertThat(registry.size()).isEqualTo(1);
        assertThat(events.kinds()).containsExactly(Kind.REGISTERED, Kind.UPDATED);
    }

    @Test
    void anIdenticalReRegistrationOnlyRenewsTheLease() {
        Registry.Registration created = registry.register(instance("a"), clock.instant());
        clock.advance(Duration.ofSeconds(5));
        Registry.Registration again = registry.register(instance("a"), clock.instant());

        assertThat(again.created()).isFalse();
        assertThat(again.index()).isEqualTo(created.index());
        assertThat(again.instance().lease().lastRenewedAt()).isEqualTo(clock.instant());
        assertThat(events.kinds()).containsExactly(Kind.REGISTERED, Kind.RENEWED);
    }

    @Test
    void everyChangeBumpsTheIndexAndEventsComeInIndexOrder() {
        registry.register(instance("a"), clock.instant());
        registry.register(instance("b"), clock.instant());
        registry.register(TestInstances.instance("payments", "p", clock.instant()), clock.instant());
        registry.update(InstanceKey.of("orders", "a"),
                i -> i.withMetadata(Map.of("k", "v"), clock.instant()));
        registry.update(InstanceKey.of("orders", "b"),
                i -> i.withState(i.state().withOverride(InstanceStatus.OUT_OF_SERVICE, clock.instant())));
        registry.deregister(InstanceKey.of("orders", "a"));

        List<RegistryEvent> ofOrders = events.events().stream().filter(e -> e.service().equals(orders)).toList();
        assertThat(ofOrders).extracting(RegistryEvent::kind).containsExactly(
                Kind.REGISTERED, Kind.REGISTERED, Kind.UPDATED, Kind.STATUS_CHANGED, Kind.DEREGISTERED);
        List<Long> indexes = ofOrders.stream().map(RegistryEvent::index).toList();
        assertThat(indexes).isSorted().doesNotHaveDuplicates();
        assertThat(registry.index(orders)).isEqualTo(indexes.get(indexes.size() - 1));
        assertThat(registry.service(orders).index()).isEqualTo(registry.index(orders));
        assertThat(registry.index(ServiceName.of("never-seen"))).isZero();
    }

    @Test
    void aHeartbeatRenewsWithoutBumpingTheIndex() {
        registry.register(instance("a"), clock.instant());
        long before = registry.index(orders);
        clock.advance(Duration.ofSeconds(20));

        Instance renewed = registry.heartbeat(InstanceKey.of("orders", "a"), clock.instant(), OptionalInt.empty());

        assertThat(renewed.lease().lastRenewedAt()).isEqualTo(clock.instant());
        assertThat(renewed.lease().expiresAt()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(registry.index(orders)).isEqualTo(before);
        RegistryEvent last = events.events().get(events.events().size() - 1);
        assertThat(last).isInstanceOf(RegistryEvent.Renewed.class);
        assertThat(last.index()).isEqualTo(before);
        assertThat(last.isChange()).isFalse();
    }

    @Test
    void aHeartbeatBringsAStaleInstanceBackUp() {
        registry.register(instance("a"), clock.instant());
        InstanceKey key = InstanceKey.of("orders", "a");
        clock.advance(Duration.ofSeconds(31));
        Registry.Expiry expiry = registry.expire(key, clock.instant(), i -> ExpiryDecision.MARK_STALE);
        assertThat(expiry.applied()).isEqualTo(ExpiryDecision.MARK_STALE);
        assertThat(registry.get(key).orElseThrow().status()).isEqualTo(InstanceStatus.STALE);
        assertThat(registry.service(orders).discoverable()).isEmpty();
        long staleIndex = registry.index(orders);

        Instance back = registry.heartbeat(key, clock.instant(), OptionalInt.empty());

        assertThat(back.status()).isEqualTo(InstanceStatus.UP);
        assertThat(back.state().stale()).isFalse();
        assertThat(registry.service(orders).discoverable()).extracting(Instance::id).containsExactly("a");
        assertThat(registry.index(orders)).isGreaterThan(staleIndex);
        RegistryEvent last = events.events().get(events.events().size() - 1);
        assertThat(last).isInstanceOfSatisfying(RegistryEvent.StatusChanged.class, changed -> {
            assertThat(changed.previous().status()).isEqualTo(InstanceStatus.STALE);
            assertThat(changed.instance().status()).isEqualTo(InstanceStatus.UP);
        });
    }

    @Test
    void unknownInstancesAreReportedNotCreated() {
        InstanceKey key = InstanceKey.of("orders", "ghost");
        assertThatThrownBy(() -> registry.heartbeat(key, clock.instant(), OptionalInt.empty()))
                .isInstanceOf(InstanceNotFoundException.class)
                .hasMessageContaining("ghost");
        assertThat(registry.deregister(key)).isEmpty();
        assertThat(registry.expire(key, clock.instant(), i -> ExpiryDecision.EVICT).applied())
                .isEqualTo(ExpiryDecision.KEEP);
        assertThat(registry.size()).isZero();
        assertThat(events.events()).isEmpty();
    }

    @Test
    void deregisterRemovesAndKeepsTheIndexGrowingWhenTheServiceComesBack() {
        registry.register(instance("a"), clock.instant());
        Instance removed = registry.deregister(InstanceKey.of("orders", "a")).orElseThrow();
        assertThat(removed.id()).isEqualTo("a");
        long afterRemoval = registry.index(orders);

        assertThat(registry.services()).isEmpty();
        assertThat(registry.service(orders).isEmpty()).isTrue();
        assertThat(registry.service(orders).index()).isEqualTo(afterRemoval);

        Registry.Registration back = registry.register(instance("a"), clock.instant());
        assertThat(back.created()).isTrue();
        assertThat(back.index()).isGreaterThan(afterRemoval);
    }

    @Test
    void readsReturnImmutableSortedSnapshots() {
        registry.register(instance("b"), clock.instant());
        registry.register(instance("a"), clock.instant());
        registry.register(TestInstances.instance("Payments", "p", clock.instant()), clock.instant());

        assertThat(registry.services()).extracting(s -> s.name().value()).containsExactly("orders", "payments");
        ServiceSnapshot snapshot = registry.service(orders);
        assertThat(snapshot.instances()).extracting(Instance::id).containsExactly("a", "b");
        assertThatThrownBy(() -> snapshot.instances().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(registry.size()).isEqualTo(3);
        assertThat(registry.instances().count()).isEqualTo(3);
    }

    @Test
    void anUpdateThatChangesNothingPublishesNothing() {
        registry.register(instance("a"), clock.instant());
        long index = registry.index(orders);
        events.clear();

        assertThat(registry.update(InstanceKey.of("orders", "a"), i -> i)).isPresent();
        assertThat(registry.index(orders)).isEqualTo(index);
        assertThat(events.events()).isEmpty();
        assertThatThrownBy(() -> registry.update(InstanceKey.of("orders", "a"),
                i -> TestInstances.instance("orders", "other", clock.instant())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(registry.get(InstanceKey.of("orders", "other"))).isEmpty();
    }
}
