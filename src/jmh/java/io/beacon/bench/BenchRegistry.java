package io.beacon.bench;

import io.beacon.expiry.ExpirySweeper;
import io.beacon.expiry.SweepProperties;
import io.beacon.registration.InstanceLimits;
import io.beacon.registration.LeaseProperties;
import io.beacon.registration.RegistrationRequest;
import io.beacon.registration.RegistrationValidator;
import io.beacon.registry.Instance;
import io.beacon.registry.InMemoryRegistry;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.Registry;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryListener;
import io.beacon.registry.ServiceName;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The registry wired as in the server: {@link InMemoryRegistry} delivering its events to the
 * {@link ExpirySweeper} (its must-see listener), instances built by the API's {@link RegistrationValidator}.
 *
 * <p>Data set: {@code instances / 10} services ({@code svc-000000} ...) of 10 instances each, 30 s
 * leases. Instance {@code k} belongs to heartbeat batch {@code k % 30}: {@link #load()} registers batch
 * {@code b} at second {@code b}, and {@link #tick()} moves the clock one second (to second {@code t})
 * and renews batch {@code t % 30}. So every instance stays healthy (renewed every 30 s, just before its lease ends)
 * and each sweep sees one batch, 1/30 of the instances, come due: the steady state of a registry whose
 * clients all heartbeat on time.
 */
final class BenchRegistry implements AutoCloseable {

    static final int PER_SERVICE = 10;
    static final int BATCHES = 30;
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    final int instances;
    final SteppingClock clock = new SteppingClock(START);
    final Registry registry;
    final ExpirySweeper sweeper;
    private final RegistrationValidator validator;
    private final ServiceName[] names;
    private final String[] ids;
    private long ticks;

    BenchRegistry(int instances) {
        if (instances % PER_SERVICE != 0 || instances < BATCHES) {
            throw new IllegalArgumentException("instances must be a multiple of 10 and at least 30");
        }
        this.instances = instances;
        LeaseProperties lease = new LeaseProperties(Duration.ofSeconds(30), Duration.ofSeconds(90),
                Duration.ofSeconds(5), Duration.ofHours(1));
        InstanceLimits limits = new InstanceLimits(64, 128, 1024, 32, 4096);
        // the sweeper is the registry's one listener, as it is in the server (must-see, before any other);
        // it is never started: only the benchmark's own sweep() calls do work
        ExpirySweeper[] expiry = new ExpirySweeper[1];
        registry = new InMemoryRegistry(new RegistryListener() {
            @Override
            public void on(RegistryEvent event) {
                expiry[0].on(event);
            }

            @Override
            public Phase phase() {
                return Phase.MUST_SEE;
            }
        });
        sweeper = new ExpirySweeper(registry, clock, new SweepProperties(Duration.ofHours(1)));
        expiry[0] = sweeper;
        validator = new RegistrationValidator(lease, limits);
        names = new ServiceName[instances / PER_SERVICE];
        for (int s = 0; s < names.length; s++) {
            names[s] = ServiceName.of(serviceName(s));
        }
        ids = new String[instances];
        for (int k = 0; k < instances; k++) {
            ids[k] = address(k) + ":8080";
        }
    }

    /**
     * Registers every instance, batch {@code b} at second {@code b}; ends at second 29, so the first
     * {@link #tick()} (second 30) renews batch 0 just as its first lease ends.
     */
    void load() {
        for (int b = 0; b < BATCHES; b++) {
            if (b > 0) {
                clock.advance(Duration.ofSeconds(1));
            }
            Instant now = clock.instant();
            for (int k = b; k < instances; k += BATCHES) {
                registry.register(instance(k, now), now);
            }
        }
        ticks = BATCHES - 1;
    }

    /** Moves the clock one second and renews the batch whose turn it is; returns the new time. */
    Instant tick() {
        Instant now = clock.advance(Duration.ofSeconds(1));
        ticks++;
        int batch = (int) (ticks % BATCHES);
        for (int k = batch; k < instances; k += BATCHES) {
            registry.heartbeat(key(k), now, OptionalInt.empty());
        }
        return now;
    }

    /** Instance {@code k} as the API builds it from a registration body (fresh strings, as parsed JSON). */
    Instance instance(int k, Instant now) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(new String("env"), new String("bench"));
        metadata.put(new String("team"), "team-" + (k % 100));
        RegistrationRequest request = new RegistrationRequest(serviceName(k / PER_SERVICE), address(k), 8080, null,
                metadata, List.of(new String("bench"), new String("http")), new String("zone-a"),
                new String("1.0.0"), null, null, null);
        return validator.toInstance(request, now);
    }

    InstanceKey key(int k) {
        return new InstanceKey(names[k / PER_SERVICE], ids[k]);
    }

    ServiceName service(int s) {
        return names[s];
    }

    int services() {
        return names.length;
    }

    private static String serviceName(int s) {
        return String.format("svc-%06d", s);
    }

    private static String address(int k) {
        return "10." + (k >>> 16) + "." + ((k >>> 8) & 255) + "." + (k & 255);
    }

    @Override
    public void close() {
        sweeper.stop();
    }
}
