package io.beacon.support;

import io.beacon.registration.InstanceLimits;
import io.beacon.registration.LeaseProperties;
import io.beacon.registration.RegistrationRequest;
import io.beacon.registration.RegistrationValidator;
import io.beacon.registry.Instance;
import io.beacon.registry.ServiceName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds registry values for tests without Spring through the registry's own factory
 * ({@link Instance#builder}), with the default settings (lease 30 s, eviction after three leases, so
 * 90 s by default). The registration settings and request helpers are for the registration tests.
 */
public final class TestInstances {

    public static final Duration LEASE = Duration.ofSeconds(30);
    public static final Duration EVICT_AFTER = Duration.ofSeconds(90);

    private TestInstances() {
    }

    /** A registration of {@code id} in {@code service} at 10.0.0.1:{@code port}, default lease; add to it, then build. */
    public static Instance.Builder builder(String service, String id, int port) {
        return Instance.builder(ServiceName.of(service), id, "10.0.0.1", port).lease(LEASE, EVICT_AFTER);
    }

    /** An instance {@code id} of {@code service} at 10.0.0.1:8080, registered at {@code now}. */
    public static Instance instance(String service, String id, Instant now) {
        return instance(service, id, 8080, null, now);
    }

    /** Same, with a port and an optional per-instance lease (evicted after three leases). */
    public static Instance instance(String service, String id, int port, Integer leaseSeconds, Instant now) {
        Instance.Builder builder = builder(service, id, port);
        if (leaseSeconds != null) {
            Duration lease = Duration.ofSeconds(leaseSeconds);
            builder.lease(lease, lease.multipliedBy(3));
        }
        return builder.build(now);
    }

    public static LeaseProperties lease() {
        return new LeaseProperties(LEASE, EVICT_AFTER, Duration.ofSeconds(5), Duration.ofHours(1));
    }

    public static InstanceLimits limits() {
        return new InstanceLimits(64, 128, 1024, 32, 4096);
    }

    public static RegistrationValidator validator() {
        return new RegistrationValidator(lease(), limits());
    }

    public static RegistrationRequest request(String service, String id, int port, Map<String, String> metadata,
            Integer leaseSeconds) {
        return new RegistrationRequest(service, "10.0.0.1", port, id, metadata, List.of(), null, null, null,
                leaseSeconds, null);
    }
}
