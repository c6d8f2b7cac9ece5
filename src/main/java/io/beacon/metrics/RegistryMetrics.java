package io.beacon.metrics;

import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryListener;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ChangeOrigin;
import io.micrometer.core.instrument.Counter;
import java.util.Optional;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Registry metrics. Gauges read registry snapshots when scraped; counters follow registry events.
 *
 * <ul>
 *   <li>{@code beacon_services}: services with at least one instance</li>
 *   <li>{@code beacon_instances{service,status}}: instances per service and status (every status), for the
 *   first {@code beacon.metrics.max-services} services seen; the instances of every later service are summed in
 *   {@code service="~other"} (a name no service can have), announced by one WARN</li>
 *   <li>{@code beacon_registrations_total}: accepted registrations, new and repeated</li>
 *   <li>{@code beacon_heartbeats_total{result}}: heartbeats, {@code ok} or {@code unknown} (404)</li>
 *   <li>{@code beacon_deregistrations_total}, {@code beacon_stale_total}, {@code beacon_evictions_total}</li>
 * </ul>
 */
@Component
public class RegistryMetrics implements MeterBinder, RegistryListener {

    /** The {@code service} label of the aggregate series; {@code ~} is never part of a service name. */
    public static final String OTHER = "~other";

    private static final Logger log = LoggerFactory.getLogger(RegistryMetrics.class);

    private final Registry registry;
    private final ChangeOrigin origin;
    private final int maxServices;
    private final Set<ServiceName> gauged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean other = new AtomicBoolean();
    private volatile MeterRegistry meters;
    private Counter registrations;
    private Counter heartbeatsOk;
    private Counter heartbeatsUnknown;
    private Counter deregistrations;
    private Counter stale;
    private Counter evictions;

    public RegistryMetrics(Registry registry) {
        this(registry, new MetricsProperties(1000));
    }

    public RegistryMetrics(Registry registry, MetricsProperties properties) {
        this(registry, properties, Optional.empty());
    }

    /**
     * @param origin in a cluster, which changes this member made: deregistrations, STALE markings and
     *     evictions are counted only there, so each counts once when summed over the members
     */
    @Autowired
    public RegistryMetrics(Registry registry, MetricsProperties properties, Optional<ChangeOrigin> origin) {
        this.registry = registry;
        this.maxServices = properties.maxServices();
        this.origin = origin.orElse(ChangeOrigin.SINGLE_NODE);
    }

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        Gauge.builder("beacon.services", registry, r -> r.services().size())
                .description("Services with at least one instance").register(meterRegistry);
        registrations = Counter.builder("beacon.registrations")
                .description("Accepted registrations, new and repeated").register(meterRegistry);
        heartbeatsOk = heartbeats(meterRegistry, "ok");
        heartbeatsUnknown = heartbeats(meterRegistry, "unknown");
        deregistrations = Counter.builder("beacon.deregistrations")
                .description("Instances that deregistered").register(meterRegistry);
        stale = Counter.builder("beacon.stale")
                .description("Instances marked STALE after missing heartbeats").register(meterRegistry);
        evictions = Counter.builder("beacon.evictions")
                .description("Instances evicted after their lease lapsed").register(meterRegistry);
        meters = meterRegistry;
        registry.services().forEach(s -> gauge(s.name()));
    }

    private static Counter heartbeats(MeterRegistry meterRegistry, String result) {
        return Counter.builder("beacon.heartbeats").tag("result", result)
                .description("Heartbeats received, by result").register(meterRegistry);
    }

    /** Counts a heartbeat for an unknown instance (answered 404); no registry event exists for it. */
    public void heartbeatUnknown() {
        if (heartbeatsUnknown != null) {
            heartbeatsUnknown.increment();
        }
    }

    /** Counts an accepted registration (new or repeated). */
    public void registered() {
        if (registrations != null) {
            registrations.increment();
        }
    }

    @Override
    public void on(RegistryEvent event) {
        if (meters == null) {
            return;
        }
        switch (event.kind()) {
            case REGISTERED -> gauge(event.service());
            case RENEWED -> {
                // a heartbeat or an unchanged re-registration: counted where the request is known
            }
            case DEREGISTERED -> {
                if (origin.appliedHere(event)) {
                    deregistrations.increment();
                }
            }
            case EVICTED -> {
                if (origin.appliedHere(event)) {
                    evictions.increment();
                }
            }
            case STATUS_CHANGED, UPDATED -> {
                if (event.instance().state().stale() && !previousOf(event).state().stale() && origin.appliedHere(event)) {
                    stale.increment();
                }
            }
            default -> {
            }
        }
    }

    /** Counts a heartbeat accepted for a known instance. */
    public void heartbeatAccepted() {
        if (heartbeatsOk != null) {
            heartbeatsOk.increment();
        }
    }

    private static io.beacon.registry.Instance previousOf(RegistryEvent event) {
        if (event instanceof RegistryEvent.StatusChanged changed) {
            return changed.previous();
        }
        return ((RegistryEvent.Updated) event).previous();
    }

    /**
     * Gives {@code service} its own series while fewer than {@code maxServices} have one, otherwise makes sure
     * the aggregate exists. Services keep their series once given (a gauge of a removed service reads 0).
     */
    private synchronized void gauge(ServiceName service) {
        if (gauged.contains(service)) {
            return;
        }
        if (gauged.size() >= maxServices) {
            aggregate();
            return;
        }
        gauged.add(service);
        for (InstanceStatus status : InstanceStatus.values()) {
            Gauge.builder("beacon.instances", registry, r -> r.service(service).count(status))
                    .tag("service", service.value()).tag("status", status.name())
                    .description("Instances by service and status").register(meters);
        }
    }

    private void aggregate() {
        if (!other.compareAndSet(false, true)) {
            return;
        }
        log.warn("More than {} services registered: beacon_instances counts the instances of every further "
                + "service under service=\"{}\" (raise beacon.metrics.max-services for more per-service series)",
                maxServices, OTHER);
        for (InstanceStatus status : InstanceStatus.values()) {
            Gauge.builder("beacon.instances", registry, r -> r.services().stream()
                            .filter(s -> !gauged.contains(s.name())).mapToLong(s -> s.count(status)).sum())
                    .tag("service", OTHER).tag("status", status.name())
                    .description("Instances by service and status").register(meters);
        }
    }
}
