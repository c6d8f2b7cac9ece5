package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.Instance;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryEvent.Kind;
import io.beacon.registry.RegistryEvents;
import io.beacon.registry.RegistryListener;
import io.beacon.registry.ServiceName;
import io.beacon.support.MutableClock;
import io.beacon.support.RecordingListener;
import io.beacon.support.TestInstances;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The member's view of the replicated cache without a cluster: values as the cache listener hands them
 * over, the events they raise (through the registry's dispatcher, as in the in-memory registry) and the
 * per-member index.
 */
class LocalViewTest {

    private final MutableClock clock = new MutableClock();
    private final Instant t0 = clock.instant();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RecordingListener recorder = new RecordingListener();
    private final RegistryListener failing = e -> {
        throw new IllegalStateException("listener bug");
    };
    private final LocalView view = new LocalView(new RegistryEvents(List.of(failing, recorder), meters, clock));
    private final ServiceName orders = ServiceName.of("orders");

    private static StoredInstance stored(Instance instance, long revision) {
        return StoredInstance.of(instance, revision);
    }

    @Test
    void eachReplicatedWriteRaisesTheEventTheInMemoryRegistryWouldInIndexOrder() {
        Instance a = TestInstances.instance("orders", "a", t0);
        Instance b = TestInstances.instance("orders", "b", t0);
        view.bootstrap(List.of(stored(a, 1), stored(b, 1), stored(TestInstances.instance("orders", "gone", t0), 3)
                .tombstone("DEREGISTERED")));
        assertThat(view.size()).isEqualTo(2);
        long afterBootstrap = view.index(orders);

        Instance renewed = a.renewed(t0.plusSeconds(10), OptionalInt.of(4));
        view.accept(stored(renewed, 2));
        assertThat(view.index(orders)).isEqualTo(afterBootstrap);

        Instance drained = renewed.withState(renewed.state().withOverride(InstanceStatus.OUT_OF_SERVICE, t0.plusSeconds(11)));
        view.accept(stored(drained, 3));
        view.accept(stored(renewed, 2)); // a duplicate of an older revision changes nothing
        Instance described = drained.withMetadata(Map.of("v", "2"), t0.plusSeconds(12));
        view.accept(stored(described, 4));
        view.accept(stored(described, 5).tombstone("EVICTED"));

        assertThat(recorder.kinds()).containsExactly(Kind.REGISTERED, Kind.REGISTERED, Kind.RENEWED,
                Kind.STATUS_CHANGED, Kind.UPDATED, Kind.EVICTED);
        List<Long> changes = recorder.events().stream().filter(RegistryEvent::isChange).map(RegistryEvent::index).toList();
        assertThat(changes).isSorted().doesNotHaveDuplicates().last().isEqualTo(view.index(orders));
        assertThat(recorder.events().get(2).index()).isEqualTo(afterBootstrap);
        assertThat(view.get(orders, "a")).isEmpty();
        assertThat(view.service(orders).instances()).extracting(Instance::id).containsExactly("b");
        assertThat(view.services()).extracting(s -> s.name().value()).containsExactly("orders");
        assertThat(meters.get("beacon.event.listener.errors").tag("listener", "LocalViewTest").counter().count())
                .isEqualTo(6.0);
    }

    @Test
    void writesArrivingBeforeTheStateIsLoadedAreAppliedAfterItOnceAndInOrder() {
        Instance a = TestInstances.instance("orders", "a", t0);
        view.accept(stored(a.renewed(t0.plusSeconds(5), OptionalInt.empty()), 2));
        assertThat(view.isLive()).isFalse();
        assertThat(recorder.events()).isEmpty();

        view.bootstrap(List.of(stored(a, 1)));

        assertThat(view.isLive()).isTrue();
        assertThat(recorder.kinds()).containsExactly(Kind.REGISTERED, Kind.RENEWED);
        assertThat(view.get(orders, "a").orElseThrow().lease().lastRenewedAt()).isEqualTo(t0.plusSeconds(5));
    }

    @Test
    void aWriteNotAboveTheHeldRevisionMakesTheViewTakeWhatTheCacheHoldsNow() {
        Instance a = TestInstances.instance("orders", "a", t0);
        Map<String, StoredInstance> cache = new java.util.HashMap<>();
        cache.put("orders/a", stored(a, 1));
        view.bootstrap(cache.values(), cache::get);
        Instance ahead = a.renewed(t0.plusSeconds(5), OptionalInt.empty());
        view.accept(stored(ahead, 3)); // the view is ahead of what the owner ends up holding

        // the owner repairs this member's copy: same revision as the one held, another value
        Instance repaired = a.withState(a.state().withOverride(InstanceStatus.OUT_OF_SERVICE, t0.plusSeconds(6)));
        cache.put("orders/a", stored(repaired, 3));
        view.accept(cache.get("orders/a"));
        assertThat(view.get(orders, "a").orElseThrow().status()).isEqualTo(InstanceStatus.OUT_OF_SERVICE);

        // an older write whose value the cache no longer holds: the view re-reads and keeps the cache's value
        view.accept(stored(ahead, 2));
        assertThat(view.get(orders, "a").orElseThrow()).isEqualTo(repaired);
        assertThat(recorder.kinds()).containsExactly(Kind.REGISTERED, Kind.RENEWED, Kind.STATUS_CHANGED);
    }

    @Test
    void aResyncKeepsAnInstanceWrittenAfterItsPassWentByAndDoesNotBringBackOneRemovedMeanwhile() {
        Instance a = TestInstances.instance("orders", "a", t0);
        Instance b = TestInstances.instance("orders", "b", t0);
        Map<String, StoredInstance> cache = new java.util.HashMap<>();
        cache.put("orders/a", stored(a, 1));
        view.bootstrap(cache.values(), cache::get);

        // the pass read the cache before b was registered and while a was still live
        List<StoredInstance> pass = List.of(stored(a, 1));
        cache.put("orders/b", stored(b, 1));
        view.accept(cache.get("orders/b"));
        cache.put("orders/a", stored(a, 1).tombstone("DEREGISTERED"));
        view.accept(cache.get("orders/a"));
        view.resync(pass);

        assertThat(view.get(orders, "b")).isPresent();
        assertThat(view.get(orders, "a")).isEmpty();
        assertThat(recorder.kinds()).containsExactly(Kind.REGISTERED, Kind.REGISTERED, Kind.DEREGISTERED);

        // an instance the cache really no longer holds leaves the view
        cache.remove("orders/b");
        view.resync(cache.values());
        assertThat(view.get(orders, "b")).isEmpty();
        assertThat(view.size()).isZero();
    }
}
