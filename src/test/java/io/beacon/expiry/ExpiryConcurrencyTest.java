package io.beacon.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.metrics.RegistryMetrics;
import io.beacon.metrics.RegistryMetricsListener;
import io.beacon.registry.InMemoryRegistry;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.ServiceSnapshot;
import io.beacon.support.MutableClock;
import io.beacon.support.RecordingListener;
import io.beacon.support.TestInstances;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats racing the sweeper, with registrations and deregistrations alongside. The clock only
 * moves forward while every heartbeating instance is within its lease, so any STALE mark or eviction
 * of one of them is a lost heartbeat. Every loop is bounded in time and count.
 */
class ExpiryConcurrencyTest {

    private static final int HEARTBEAT_THREADS = 6;
    private static final int LIVE_PER_THREAD = 20;
    private static final int CHURN_THREADS = 2;
    private static final int CHURN_ITERATIONS = 3_000;
    private static final int TARGET_ADVANCES = 150;
    private static final Duration STEP = Duration.ofSeconds(1);
    private static final long TIME_LIMIT_NANOS = Duration.ofSeconds(20).toNanos();

    private final MutableClock clock = new MutableClock();
    private final RecordingListener events = new RecordingListener().notRecording();
    private final InMemoryRegistry registry = new InMemoryRegistry(events);
    private final ExpirySweeper sweeper = new ExpirySweeper(registry, clock, new SweepProperties(java.time.Duration.ofHours(1)));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RegistryMetrics metrics = new RegistryMetrics(registry);

    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicLong registered = new AtomicLong();
    private final AtomicLong deregistered = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong markedStale = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();

    @Test
    void noHeartbeatingInstanceIsEverMarkedStaleOrEvicted() throws Exception {
        metrics.bindTo(meters);
        List<InstanceKey> live = new ArrayList<>();
        for (int t = 0; t < HEARTBEAT_THREADS; t++) {
            for (int i = 0; i < LIVE_PER_THREAD; i++) {
                live.add(InstanceKey.of("live-" + (i % 3), "t" + t + "-" + i));
            }
        }
        Set<InstanceKey> liveKeys = Set.copyOf(live);
        events.forwardTo(sweeper::on).forwardTo(RegistryMetricsListener.of(metrics)).forwardTo(e -> watch(e, liveKeys));
        for (InstanceKey key : live) {
            registry.register(TestInstances.instance(key.service().value(), key.id(), clock.instant()), clock.instant());
        }

        long deadline = System.nanoTime() + TIME_LIMIT_NANOS;
        List<Thread> threads = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < HEARTBEAT_THREADS; t++) {
            List<InstanceKey> mine = live.subList(t * LIVE_PER_THREAD, (t + 1) * LIVE_PER_THREAD);
            threads.add(thread("heartbeat-" + t, start, errors, () -> {
                while (!stop.get() && System.nanoTime() < deadline) {
                    for (InstanceKey key : mine) {
                        registry.heartbeat(key, clock.instant(), OptionalInt.empty());
                    }
                }
            }));
        }
        for (int t = 0; t < CHURN_THREADS; t++) {
            int thread = t;
            threads.add(thread("churn-" + t, start, errors, () -> {
                InstanceKey previous = null;
                for (int n = 0; n < CHURN_ITERATIONS && !stop.get() && System.nanoTime() < deadline; n++) {
                    String service = (n % 2 == 0 ? "churn-" : "live-") + (n % 3);
                    Instant now = clock.instant();
                    Instance instance = TestInstances.instance(service, "c" + thread + "-" + n, now);
                    registry.register(instance, now);
                    if (previous != null && n % 3 != 0) {
                        registry.deregister(previous);
                    }
                    previous = instance.key();
                }
            }));
        }
        AtomicLong advances = new AtomicLong();
        threads.add(thread("sweeper", start, errors, () -> {
            while (advances.get() < TARGET_ADVANCES && System.nanoTime() < deadline) {
                Instant oldest = live.stream().map(k -> registry.get(k).orElseThrow().lease().lastRenewedAt())
                        .min(Instant::compareTo).orElseThrow();
                Instant next = clock.instant().plus(STEP);
                if (!next.isAfter(oldest.plus(TestInstances.LEASE))) {
                    clock.set(next);
                    advances.incrementAndGet();
                }
                sweeper.sweep(clock.instant());
                Thread.yield();
            }
            stop.set(true);
        }));

        start.countDown();
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(60).toMillis());
            assertThat(thread.isAlive()).as(thread.getName() + " finished").isFalse();
        }
        sweeper.sweep(clock.instant());

        assertThat(errors).isEmpty();
        assertThat(violations).as("heartbeating instances marked STALE or evicted").isEmpty();
        assertThat(advances.get()).as("the clock moved past the eviction delay").isGreaterThan(91);
        for (InstanceKey key : live) {
            assertThat(registry.get(key)).as(key.toString()).hasValueSatisfying(
                    i -> assertThat(i.status()).isEqualTo(InstanceStatus.UP));
        }
        assertThat(markedStale.get()).as("abandoned instances went STALE").isPositive();
        assertThat(evicted.get()).as("abandoned instances were evicted").isPositive();

        List<ServiceSnapshot> services = registry.services();
        int sum = services.stream().mapToInt(s -> s.instances().size()).sum();
        assertThat(registry.size()).isEqualTo(sum);
        assertThat(registry.instances().count()).isEqualTo(sum);
        assertThat(registered.get() - deregistered.get() - evicted.get()).isEqualTo(sum);

        assertThat(meters.get("beacon.services").gauge().value()).isEqualTo(services.size());
        double gaugeSum = meters.find("beacon.instances").gauges().stream().mapToDouble(Gauge::value).sum();
        assertThat(gaugeSum).isEqualTo(sum);
        for (ServiceSnapshot s : services) {
            for (InstanceStatus status : InstanceStatus.values()) {
                assertThat(meters.get("beacon.instances").tag("service", s.name().value())
                        .tag("status", status.name()).gauge().value())
                        .as("%s %s", s.name(), status).isEqualTo(s.count(status));
            }
        }
        assertThat(meters.get("beacon.deregistrations").counter().count()).isEqualTo(deregistered.get());
        assertThat(meters.get("beacon.evictions").counter().count()).isEqualTo(evicted.get());
        assertThat(meters.get("beacon.stale").counter().count()).isEqualTo(markedStale.get());
    }

    /** Runs on the publishing thread, with the service's monitor held: must stay cheap. */
    private void watch(RegistryEvent event, Set<InstanceKey> live) {
        if (event instanceof RegistryEvent.Registered) {
            registered.incrementAndGet();
        } else if (event instanceof RegistryEvent.Deregistered) {
            deregistered.incrementAndGet();
        } else if (event instanceof RegistryEvent.Evicted e) {
            evicted.incrementAndGet();
            if (live.contains(e.instance().key())) {
                violations.add("evicted " + e.instance().key() + " at " + clock.instant());
            }
        } else if (event instanceof RegistryEvent.StatusChanged c) {
            staleMark(c.previous(), c.instance(), live);
        } else if (event instanceof RegistryEvent.Updated u) {
            staleMark(u.previous(), u.instance(), live);
        }
    }

    private void staleMark(Instance previous, Instance next, Set<InstanceKey> live) {
        if (next.state().stale() && !previous.state().stale()) {
            markedStale.incrementAndGet();
            if (live.contains(next.key())) {
                violations.add("marked STALE " + next.key() + " last renewed " + next.lease().lastRenewedAt()
                        + " at " + clock.instant());
            }
        }
    }

    private static Thread thread(String name, CountDownLatch start, Queue<Throwable> errors, Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                start.await();
                body.run();
            } catch (Throwable e) {
                errors.add(e);
            }
        }, name);
        thread.start();
        return thread;
    }
}
