package io.beacon.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.beacon.registry.RegistryEvent.Kind;
import io.beacon.support.MutableClock;
import io.beacon.support.RecordingListener;
import io.beacon.support.TestInstances;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Delivery of registry events: after the service lock, in index order per service, must-see listeners
 * first, and a failing listener never changes the answer of the write that raised the event.
 */
class RegistryEventsTest {

    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ServiceName orders = ServiceName.of("orders");
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(RegistryEvents.class);
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    /** Throws on every event it gets, after counting it. */
    static final class Failing implements RegistryListener {
        final List<RegistryEvent> seen = new CopyOnWriteArrayList<>();

        @Override
        public void on(RegistryEvent event) {
            seen.add(event);
            throw new IllegalStateException("listener bug");
        }
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
        logger.setAdditive(false); // the expected failures stay out of the build output
    }

    @AfterEach
    void release() {
        logger.detachAppender(logs);
        logger.setAdditive(true);
        threads.shutdownNow();
    }

    private InMemoryRegistry registry(RegistryListener... listeners) {
        return new InMemoryRegistry(new RegistryEvents(List.of(listeners), meters, clock));
    }

    private Instance instance(String service, String id) {
        return TestInstances.instance(service, id, clock.instant());
    }

    private double errors(String listener) {
        return meters.get("beacon.event.listener.errors").tag("listener", listener).counter().count();
    }

    private List<ILoggingEvent> errorLines() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
    }

    @Test
    void aThrowingListenerChangesNoWriteAnswerAndTheOthersStillGetEveryEvent() {
        RecordingListener before = new RecordingListener();
        Failing failing = new Failing();
        RecordingListener after = new RecordingListener();
        InMemoryRegistry registry = registry(before, failing, after);
        InstanceKey key = InstanceKey.of("orders", "a");

        Registry.Registration created = registry.register(instance("orders", "a"), clock.instant());
        clock.advance(Duration.ofSeconds(5));
        Instance renewed = registry.heartbeat(key, clock.instant(), OptionalInt.of(3));
        Optional<Instance> updated = registry.update(key, i -> i.withMetadata(Map.of("v", "2"), clock.instant()));
        Registry.Expiry stale = registry.expire(key, clock.instant(), i -> ExpiryDecision.MARK_STALE);
        Optional<Instance> removed = registry.deregister(key);

        assertThat(created.created()).isTrue();
        assertThat(created.instance().id()).isEqualTo("a");
        assertThat(created.index()).isPositive();
        assertThat(renewed.lease().lastRenewedAt()).isEqualTo(clock.instant());
        assertThat(renewed.inflight()).isEqualTo(3);
        assertThat(updated).hasValueSatisfying(i -> assertThat(i.metadata()).containsEntry("v", "2"));
        assertThat(stale.applied()).isEqualTo(ExpiryDecision.MARK_STALE);
        assertThat(removed).hasValueSatisfying(i -> assertThat(i.id()).isEqualTo("a"));
        assertThat(registry.size()).isZero();

        List<Kind> expected = List.of(Kind.REGISTERED, Kind.RENEWED, Kind.UPDATED, Kind.STATUS_CHANGED,
                Kind.DEREGISTERED);
        assertThat(before.kinds()).isEqualTo(expected);
        assertThat(after.kinds()).isEqualTo(expected);
        assertThat(failing.seen).hasSize(5);
        assertThat(errors("Failing")).isEqualTo(5.0);
        assertThat(errors("RecordingListener")).isZero();
    }

    @Test
    void aFailingListenerIsLoggedOncePerBurstWithTheCountOfFailuresNotLogged() {
        InMemoryRegistry registry = registry(new Failing());
        for (int n = 0; n < 4; n++) {
            registry.register(instance("orders", "i" + n), clock.instant());
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(errorLines()).hasSize(1);
        assertThat(errorLines().get(0).getFormattedMessage())
                .contains("Failing", "REGISTERED", "orders/i0", "the change stays applied");
        assertThat(errorLines().get(0).getThrowableProxy().getMessage()).isEqualTo("listener bug");

        clock.advance(Duration.ofMinutes(1));
        registry.register(instance("orders", "i4"), clock.instant());

        assertThat(errorLines()).hasSize(2);
        assertThat(errorLines().get(1).getFormattedMessage()).contains("orders/i4", "failed 3 more times");
        assertThat(errors("Failing")).isEqualTo(5.0);
        assertThat(registry.size()).isEqualTo(5);
    }

    @Test
    void mustSeeListenersGetEachEventBeforeAnyBestEffortOneWhateverTheGivenOrder() {
        List<String> calls = new CopyOnWriteArrayList<>();
        RegistryListener bestEffort = e -> calls.add("best " + e.kind());
        RegistryListener failingMustSee = new RegistryListener() {
            @Override
            public void on(RegistryEvent e) {
                calls.add("must " + e.kind());
                throw new IllegalStateException("must-see bug");
            }

            @Override
            public Phase phase() {
                return Phase.MUST_SEE;
            }
        };
        InMemoryRegistry registry = registry(bestEffort, failingMustSee);

        registry.register(instance("orders", "a"), clock.instant());
        registry.deregister(InstanceKey.of("orders", "a"));

        assertThat(calls).containsExactly("must REGISTERED", "best REGISTERED", "must DEREGISTERED",
                "best DEREGISTERED");
        assertThat(errors("RegistryEventsTest$1")).isEqualTo(2.0);
    }

    @Test
    void aPlainHeartbeatReachesTheMustSeeListenerWithTheLeaseBeforeAndAfter() {
        List<RegistryEvent> seen = new CopyOnWriteArrayList<>();
        RegistryListener mustSee = new RegistryListener() {
            @Override
            public void on(RegistryEvent e) {
                seen.add(e);
            }

            @Override
            public Phase phase() {
                return Phase.MUST_SEE;
            }
        };
        InMemoryRegistry registry = registry(mustSee);
        Instant t0 = clock.instant();
        long index = registry.register(instance("orders", "a"), t0).index();
        Instant t1 = clock.advance(Duration.ofSeconds(20));

        registry.heartbeat(InstanceKey.of("orders", "a"), t1, OptionalInt.empty());

        assertThat(seen).hasSize(2);
        assertThat(seen.get(1)).isInstanceOfSatisfying(RegistryEvent.Renewed.class, r -> {
            assertThat(r.previous().lease().lastRenewedAt()).isEqualTo(t0);
            assertThat(r.instance().lease().lastRenewedAt()).isEqualTo(t1);
            assertThat(r.index()).isEqualTo(index);
        });
    }

    @Test
    void eventsOfEachServiceArriveInIndexOrderUnderConcurrentWritersAndEveryIndexIsDeliveredOnce() throws Exception {
        Map<ServiceName, List<Long>> changes = new ConcurrentHashMap<>();
        List<Long> all = Collections.synchronizedList(new ArrayList<>());
        RegistryListener recorder = e -> {
            if (e.isChange()) {
                changes.computeIfAbsent(e.service(), s -> Collections.synchronizedList(new ArrayList<>())).add(e.index());
                all.add(e.index());
            }
        };
        InMemoryRegistry registry = registry(recorder, new Failing());
        List<String> services = List.of("orders", "billing", "stock");
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            SplittableRandom random = new SplittableRandom(t);
            writers.add(threads.submit(() -> {
                for (int n = 0; n < 1_500; n++) {
                    String service = services.get(random.nextInt(services.size()));
                    InstanceKey key = InstanceKey.of(service, "i" + random.nextInt(8));
                    Instant now = clock.instant();
                    switch (random.nextInt(5)) {
                        case 0 -> registry.register(instance(service, key.id()), now);
                        case 1 -> registry.deregister(key);
                        case 2 -> registry.update(key, i -> i.withMetadata(Map.of("n", String.valueOf(random.nextInt(3))), now));
                        case 3 -> registry.expire(key, now, i -> ExpiryDecision.MARK_STALE);
                        default -> {
                            try {
                                registry.heartbeat(key, now, OptionalInt.empty());
                            } catch (InstanceNotFoundException e) {
                                // deregistered meanwhile
                            }
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> writer : writers) {
            writer.get(60, TimeUnit.SECONDS);
        }

        for (String service : services) {
            ServiceName name = ServiceName.of(service);
            List<Long> indexes = List.copyOf(changes.get(name));
            assertThat(indexes).as(service).isSorted().doesNotHaveDuplicates();
            assertThat(indexes.get(indexes.size() - 1)).as(service).isEqualTo(registry.index(name));
        }
        List<Long> sorted = all.stream().sorted().toList();
        assertThat(sorted).isEqualTo(LongStream.rangeClosed(1, sorted.size()).boxed().toList());
        assertThat(errors("Failing")).isGreaterThanOrEqualTo(sorted.size());
    }

    @Test
    void noListenerRunsUnderTheServiceLockAWriteFromAnotherThreadAppliesMeanwhile() throws Exception {
        AtomicBoolean appliedWhileListening = new AtomicBoolean();
        InMemoryRegistry[] holder = new InMemoryRegistry[1];
        InstanceKey other = InstanceKey.of("orders", "b");
        RegistryListener prober = e -> {
            if (e.kind() == Kind.REGISTERED && e.instance().id().equals("a")) {
                threads.submit(() -> holder[0].register(instance("orders", "b"), clock.instant()));
                await().atMost(Duration.ofSeconds(10)).until(() -> holder[0].get(other).isPresent());
                appliedWhileListening.set(true);
            }
        };
        holder[0] = registry(prober);

        holder[0].register(instance("orders", "a"), clock.instant());

        assertThat(appliedWhileListening).isTrue();
        assertThat(holder[0].service(orders).instances()).extracting(Instance::id).containsExactly("a", "b");
    }

    @Test
    void aWriteMadeByAListenerIsDeliveredAfterTheCurrentEventHasReachedEveryListener() {
        RecordingListener first = new RecordingListener();
        RecordingListener last = new RecordingListener();
        InMemoryRegistry[] holder = new InMemoryRegistry[1];
        RegistryListener tagger = e -> {
            if (e.kind() == Kind.REGISTERED) {
                Optional<Instance> tagged = holder[0].update(e.instance().key(),
                        i -> i.withMetadata(Map.of("tagged", "yes"), clock.instant()));
                assertThat(tagged).isPresent();
            }
        };
        holder[0] = registry(first, tagger, last);

        Registry.Registration created = holder[0].register(instance("orders", "a"), clock.instant());

        assertThat(first.kinds()).containsExactly(Kind.REGISTERED, Kind.UPDATED);
        assertThat(last.kinds()).containsExactly(Kind.REGISTERED, Kind.UPDATED);
        assertThat(last.events().get(0).index()).isEqualTo(created.index());
        assertThat(last.events().get(1).index()).isGreaterThan(created.index()).isEqualTo(holder[0].index(orders));
        assertThat(holder[0].get(InstanceKey.of("orders", "a")).orElseThrow().metadata()).containsEntry("tagged", "yes");
        assertThat(errors("RegistryEventsTest")).isZero();
    }

    @Test
    void listenersWritingToEachOthersServicesFromTwoThreadsNeitherDeadlockNorLoseEvents() throws Exception {
        RecordingListener recorder = new RecordingListener();
        InMemoryRegistry[] holder = new InMemoryRegistry[1];
        RegistryListener mirror = e -> {
            String id = e.instance().id();
            if (e.kind() == Kind.REGISTERED && !id.startsWith("m-")) {
                String target = e.service().value().equals("left") ? "right" : "left";
                holder[0].register(instance(target, "m-" + id), clock.instant());
            }
        };
        holder[0] = registry(mirror, recorder);
        int perSide = 300;
        List<Future<?>> writers = new ArrayList<>();
        for (String side : List.of("left", "right")) {
            writers.add(threads.submit(() -> {
                for (int n = 0; n < perSide; n++) {
                    holder[0].register(instance(side, side + n), clock.instant());
                }
                return null;
            }));
        }
        for (Future<?> writer : writers) {
            writer.get(30, TimeUnit.SECONDS);
        }

        assertThat(holder[0].service(ServiceName.of("left")).instances()).hasSize(2 * perSide);
        assertThat(holder[0].service(ServiceName.of("right")).instances()).hasSize(2 * perSide);
        assertThat(recorder.kinds()).hasSize(4 * perSide).containsOnly(Kind.REGISTERED);
        for (String side : List.of("left", "right")) {
            assertThat(recorder.events().stream().filter(e -> e.service().value().equals(side))
                    .map(RegistryEvent::index).toList()).as(side).hasSize(2 * perSide).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void eventsRaisedBeforeTheListenersAreKnownWaitAndArriveInOrderOnceDeliveryStarts() {
        RegistryEvents events = new RegistryEvents(meters, clock);
        InMemoryRegistry registry = new InMemoryRegistry(events);
        registry.register(instance("orders", "a"), clock.instant());
        registry.register(instance("orders", "b"), clock.instant());
        registry.heartbeat(InstanceKey.of("orders", "a"), clock.advance(Duration.ofSeconds(1)), OptionalInt.empty());
        registry.deregister(InstanceKey.of("orders", "b"));
        RecordingListener recorder = new RecordingListener();

        events.start(List.of(recorder));

        assertThat(recorder.kinds()).containsExactly(Kind.REGISTERED, Kind.REGISTERED, Kind.RENEWED, Kind.DEREGISTERED);
        assertThat(recorder.events().stream().filter(RegistryEvent::isChange).map(RegistryEvent::index).toList())
                .isSorted().doesNotHaveDuplicates();
        registry.register(instance("orders", "c"), clock.instant());
        assertThat(recorder.kinds()).hasSize(5).last().isEqualTo(Kind.REGISTERED);
    }
}
