package io.beacon.metrics;

import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryListener;
import io.beacon.registry.ServiceName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Registry metrics. Gauges read registry snapshots when scraped; counters follow registry events.
 *
 * <ul>
 *   <li>{@code beacon_services}: services with at least one instance</li>
 *   <li>{@code beacon_instances{service,status}}: instances per service and status (every status)</li>
 *   <li>{@code beacon_registrations_total}: accepted registrations, new and repeated</li>
 *   <li>{@code beacon_heartbeats_total{result}}: heartbeats, {@code ok} or {@code unknown} (404)</li>
 *   <li>{@code beacon_deregistrations_total}, {@code beacon_stale_total}, {@code beacon_evictions_total}</li>
 * </ul>
 */
@Component
public class RegistryMetrics implements MeterBinder, RegistryListener {

    private final Registry registry;
    private final Set<ServiceName> gauged = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry meters;
    private Counter registrations;
    private Counter heartbeatsOk;
    private Counter heartbeatsUnknown;
    private Counter deregistrations;
    private Counter stale;
    private Counter evictions;

    public RegistryMetrics(Registry registry) {
        this.registry = registry;
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
            case DEREGISTERED -> deregistrations.increment();
            case EVICTED -> evictions.increment();
            case STATUS_CHANGED, UPDATED -> {
                if (event.instance().state().stale() && !previousOf(event).state().stale()) {
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

    private void gauge(ServiceName service) {
        if (!gauged.add(service)) {
            return;
        }
        for (InstanceStatus status : InstanceStatus.values()) {
            Gauge.builder("beacon.instances", registry, r -> r.service(service).count(status))
                    .tag("service", service.value()).tag("status", status.name())
                    .description("Instances by service and status").register(meters);
        }
    }
}
