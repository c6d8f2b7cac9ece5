package io.beacon.support;


import io.beacon.registration.RegistrationRequest;
import io.beacon.registration.RegistrationValidator;
import io.beacon.registration.InstanceLimits;
import io.beacon.registration.LeaseProperties;
import io.beacon.registry.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds registry values for tests without Spring, through the same {@link RegistrationValidator}
 * the API uses, with the default settings (lease 30 s, eviction after 90 s, lease bounds 5 s..1 h).
 */
public final class TestInstances {

    public static final Duration LEASE = Duration.ofSeconds(30);
    public static final Duration EVICT_AFTER = Duration.ofSeconds(90);

    private TestInstances() {
    }

    public static LeaseProperties lease() {
        return new LeaseProperties(LEASE, EVICT_AFTER, Duration.ofSeconds(5), Duration.ofHours(1));
    }

    public static InstanceLimits limits() {
        return new InstanceLimits(64, 128, 1024, 32);
    }

    public static RegistrationValidator validator() {
        return new RegistrationValidator(lease(), limits());
    }

    /** An instance {@code id} of {@code service} at 10.0.0.1:8080, registered at {@code now}. */
    public static Instance instance(String service, String id, Instant now) {
        return instance(service, id, 8080, null, now);
    }

    /** Same, with a port and an optional per-instance lease. */
    public static Instance instance(String service, String id, int port, Integer leaseSeconds, Instant now) {
        return validator().toInstance(request(service, id, port, Map.of(), leaseSeconds), now);
    }

    public static RegistrationRequest request(String service, String id, int port, Map<String, String> metadata,
            Integer leaseSeconds) {
        return new RegistrationRequest(service, "10.0.0.1", port, id, metadata, List.of(), null, null, null,
                leaseSeconds, null);
    }
}
