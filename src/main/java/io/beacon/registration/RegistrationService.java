package io.beacon.registration;

import io.beacon.metrics.RegistryMetrics;
import io.beacon.registry.CapacityExceededException;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.Registry;
import io.beacon.web.LimitRejections;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalInt;
import org.springframework.stereotype.Service;

/**
 * The one registration path, for the native API and the Eureka API alike: validates a draft with
 * {@link RegistrationValidator}, reads the clock once, builds the {@link Instance}, registers it and
 * counts it; renews leases and counts heartbeats. A rejected registration changes nothing; one refused
 * by a capacity limit ({@link CapacityExceededException}, answered 409) is counted in
 * {@code beacon.limit.rejections}.
 */
@Service
public class RegistrationService {

    private final Registry registry;
    private final RegistrationValidator validator;
    private final RegistryMetrics metrics;
    private final Clock clock;
    private final LimitRejections rejections;

    public RegistrationService(Registry registry, RegistrationValidator validator, RegistryMetrics metrics,
            Clock clock, MeterRegistry meters) {
        this.registry = registry;
        this.validator = validator;
        this.metrics = metrics;
        this.clock = clock;
        this.rejections = new LimitRejections(meters);
    }

    /** Registers a native {@code POST /register} body; throws {@code InvalidRequestException} listing every violation. */
    public Registry.Registration register(RegistrationRequest request) {
        Instant now = clock.instant();
        return register(validator.toInstance(request, now), now);
    }

    /** Registers what {@code draft} describes; throws {@code InvalidRequestException} listing every violation. */
    public Registry.Registration register(InstanceDraft draft) {
        Instant now = clock.instant();
        return register(validator.toInstance(draft, now), now);
    }

    private Registry.Registration register(Instance candidate, Instant now) {
        Registry.Registration result;
        try {
            result = registry.register(candidate, now);
        } catch (CapacityExceededException e) {
            rejections.count(e.limit().label());
            throw e;
        }
        metrics.registered();
        return result;
    }

    /**
     * Renews a lease (a native heartbeat or a Eureka renewal), taking the reported in-flight requests
     * when given.
     *
     * @throws InstanceNotFoundException when the instance is not registered (counted as an unknown heartbeat)
     */
    public Instance renew(InstanceKey key, OptionalInt inflight) {
        Instance renewed;
        try {
            renewed = registry.heartbeat(key, clock.instant(), inflight);
        } catch (InstanceNotFoundException e) {
            metrics.heartbeatUnknown();
            throw e;
        }
        metrics.heartbeatAccepted();
        return renewed;
    }
}
