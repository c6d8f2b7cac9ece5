package io.beacon.outlier;

import io.beacon.policy.PolicyStore;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.Registry;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryListener;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import io.beacon.web.StatusFacts;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Passive health: turns client reports into ejections through one Resilience4j circuit breaker per
 * instance.
 *
 * <ul>
 *   <li>CLOSED: reports are recorded; the breaker opens on its failure rate (over the last
 *       {@code minimumCalls} reports), and Beacon opens it after {@code consecutiveFailures} failures in a row.</li>
 *   <li>OPEN: the instance is ejected ({@code ejected=true} in the registry, hidden from discovery) for
 *       {@code baseEjection * n} (capped), n being the ejections in a row; reports about it are ignored.
 *       When the breaker opens but {@code maxEjectionPercent} of the service is already ejected, the
 *       ejection is refused and the breaker closed again.</li>
 *   <li>HALF_OPEN (after the wait, on the next report or {@link #sweep}): back in discovery;
 *       {@code halfOpenCalls} reports decide between CLOSED and OPEN again.</li>
 * </ul>
 *
 * <p>Each instance's breaker lives on one member ({@link BreakerPlacement}): reports received anywhere are
 * applied there, and the ejection state is shared on each ejection and its end, so a member that takes
 * the breaker over (its owner left) continues a running ejection and ends it on its own sweep.
 */
class OutlierDetector implements RegistryListener, StatusFacts.Source {

    /** What a report did. */
    public record Outcome(InstanceKey key, CircuitBreaker.State breaker, boolean recorded, boolean ejected,
            Instant ejectedUntil) {
    }

    private final Registry registry;
    private final PolicyStore policies;
    private final OutlierProperties defaults;
    private final Clock clock;
    private final BreakerPlacement placement;
    private final Counter ejectionsCounter;
    private final Map<InstanceKey, InstanceBreaker> breakers = new ConcurrentHashMap<>();
    private final Map<ServiceName, Object> serviceLocks = new ConcurrentHashMap<>();

    public OutlierDetector(Registry registry, PolicyStore policies, OutlierProperties defaults, Clock clock,
            MeterRegistry meters) {
        this(registry, policies, defaults, clock, meters, BreakerPlacement.SINGLE_NODE);
    }

    OutlierDetector(Registry registry, PolicyStore policies, OutlierProperties defaults, Clock clock,
            MeterRegistry meters, BreakerPlacement placement) {
        this.placement = placement;
        this.registry = registry;
        this.policies = policies;
        this.defaults = defaults;
        this.clock = clock;
        this.ejectionsCounter = Counter.builder("beacon.ejections")
                .description("Instances ejected by outlier detection").register(meters);
        placement.serve(this::applyHere);
    }

    /** The thresholds in force for a service. */
    OutlierSettings settings(ServiceName service) {
        return OutlierSettings.resolve(defaults, policies.get(service));
    }

    /**
     * Records one report about a registered instance, on the member that owns its breaker; empty when the
     * instance is not registered.
     */
    public Optional<Outcome> report(InstanceKey key, boolean success, long latencyMs) {
        if (registry.get(key).isEmpty()) {
            return Optional.empty();
        }
        return placement.report(key, success, latencyMs, this::applyHere).map(v -> new Outcome(key,
                CircuitBreaker.State.valueOf(v.breaker()), v.recorded(), v.ejected(), v.ejectedUntil()));
    }

    /** Applies one report to this member's breaker of the instance. */
    private Optional<BreakerPlacement.ReportVerdict> applyHere(InstanceKey key, boolean success, long latencyMs) {
        if (registry.get(key).isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        InstanceBreaker b = breaker(key, now);
        synchronized (b) {
            b.at(now);
            boolean permitted = b.breaker.tryAcquirePermission();
            if (permitted) {
                if (success) {
                    b.consecutiveFailures = 0;
                    b.breaker.onSuccess(latencyMs, TimeUnit.MILLISECONDS);
                } else {
                    b.consecutiveFailures++;
                    b.breaker.onError(latencyMs, TimeUnit.MILLISECONDS, InstanceBreaker.REPORTED_FAILURE);
                    if (b.state() == CircuitBreaker.State.CLOSED
                            && b.consecutiveFailures >= b.settings.consecutiveFailures()) {
                        b.breaker.transitionToOpenState();
                    }
                }
            }
            sync(b, now);
            return Optional.of(new BreakerPlacement.ReportVerdict(b.state().name(), permitted, b.ejected,
                    b.ejected ? b.ejectedUntil : null));
        }
    }

    /**
     * Ends the ejections whose time has run out (OPEN to HALF_OPEN) and drops breakers of instances that
     * are gone. Called periodically; tests call it directly.
     */
    public void sweep(Instant now) {
        for (InstanceKey key : placement.ejected()) {
            if (!breakers.containsKey(key) && placement.owns(key) && registry.get(key).isPresent()) {
                breaker(key, now); // an ejection whose owner left: continued here
            }
        }
        for (InstanceBreaker b : breakers.values()) {
            if (registry.get(b.key).isEmpty() || !placement.owns(b.key)) {
                breakers.remove(b.key, b);
                continue;
            }
            if (b.state() != CircuitBreaker.State.OPEN) {
                continue;
            }
            synchronized (b) {
                b.at(now);
                if (b.state() == CircuitBreaker.State.OPEN && b.breaker.tryAcquirePermission()) {
                    b.breaker.releasePermission();
                }
                sync(b, now);
            }
        }
    }

    /**
     * The ejection and breaker of an instance, for the explanation of its status: from its breaker when this
     * member holds it, else the ejection end its owner shared (the reported failures are then not known).
     */
    @Override
    public StatusFacts of(Instance instance) {
        InstanceBreaker b = breakers.get(instance.key());
        if (b != null) {
            synchronized (b) {
                return new StatusFacts(null, b.ejected ? b.ejectedUntil : null, b.ejected ? b.failuresAtEjection : null,
                        b.state().name());
            }
        }
        if (!instance.state().ejected()) {
            return placement.owns(instance.key()) ? new StatusFacts(null, null, null, "CLOSED") : StatusFacts.NONE;
        }
        return placement.ejection(instance.key()).filter(e -> e.ejectedUntil() != null)
                .map(e -> new StatusFacts(null, e.ejectedUntil(), null, "OPEN")).orElse(StatusFacts.NONE);
    }

    /** The breaker state of an instance, CLOSED when it has none yet. */
    public CircuitBreaker.State state(InstanceKey key) {
        InstanceBreaker b = breakers.get(key);
        return b == null ? CircuitBreaker.State.CLOSED : b.state();
    }

    private InstanceBreaker breaker(InstanceKey key, Instant now) {
        OutlierSettings settings = settings(key.service());
        // the common case without a lock: compute locks the key's bin for every report, and a flood of
        // reports queued there
        InstanceBreaker current = breakers.get(key);
        if (current != null && keeps(current, settings)) {
            return current;
        }
        return breakers.compute(key, (k, existing) -> {
            if (existing == null) {
                InstanceBreaker created = new InstanceBreaker(k, settings, clock, null);
                placement.ejection(k).ifPresent(e -> continueEjection(created, e, now));
                return created;
            }
            return keeps(existing, settings) ? existing : new InstanceBreaker(k, settings, clock, existing);
        });
    }

    /**
     * Whether {@code b} stays the instance's breaker under {@code settings}: a changed policy applies only once
     * the breaker is closed and the instance is not ejected.
     */
    private static boolean keeps(InstanceBreaker b, OutlierSettings settings) {
        return b.settings.equals(settings) || b.ejected || b.state() != CircuitBreaker.State.CLOSED;
    }

    /**
     * Continues, in a breaker new on this member, the ejection state another owner shared: the ejections in
     * a row and, while the registry still shows the instance ejected, the ejection until its end.
     */
    private void continueEjection(InstanceBreaker b, BreakerPlacement.Ejection e, Instant now) {
        b.ejections = e.ejections();
        b.closedAt = e.closedAt();
        boolean ejected = registry.get(b.key).map(i -> i.state().ejected()).orElse(false);
        if (e.ejectedUntil() == null || !ejected) {
            return;
        }
        if (e.ejectedUntil().isAfter(now)) {
            b.at(now);
            b.openFor(java.time.Duration.between(now, e.ejectedUntil()));
            b.breaker.transitionToOpenState();
            b.openFor(null);
            b.ejected = true;
            b.ejectedUntil = e.ejectedUntil();
        } else {
            setEjected(b.key, false, now);
            placement.save(b.key, new BreakerPlacement.Ejection(b.ejections, null, b.closedAt));
        }
    }

    /** Makes the registry's ejected flag follow the breaker; applies the ejection cap. Holds b's monitor. */
    private void sync(InstanceBreaker b, Instant now) {
        CircuitBreaker.State state = b.state();
        if (state == CircuitBreaker.State.OPEN && !b.ejected) {
            if (!eject(b, now)) {
                b.breaker.transitionToClosedState();
                b.consecutiveFailures = 0;
            }
        } else if (state != CircuitBreaker.State.OPEN && b.ejected) {
            b.ejected = false;
            b.ejectedUntil = null;
            b.failuresAtEjection = null;
            // shared state first: whoever sees the instance back in discovery reads the ejection as ended
            placement.save(b.key, new BreakerPlacement.Ejection(b.ejections, null, b.closedAt));
            setEjected(b.key, false, now);
        }
        if (state == CircuitBreaker.State.CLOSED && b.closedAt == null) {
            b.closedAt = now;
            if (b.ejections > 0) {
                placement.save(b.key, new BreakerPlacement.Ejection(b.ejections, null, now));
            }
        }
    }

    private boolean eject(InstanceBreaker b, Instant now) {
        Object lock = serviceLocks.computeIfAbsent(b.key.service(), s -> new Object());
        synchronized (lock) {
            ServiceSnapshot snapshot = registry.service(b.key.service());
            long ejectedNow = snapshot.instances().stream()
                    .filter(i -> i.state().ejected() && !i.id().equals(b.key.id())).count();
            if (ejectedNow >= b.settings.maxEjected(snapshot.instances().size())) {
                return false;
            }
            int n = b.nextEjection();
            Instant until = now.plus(b.settings.ejectionTime(n));
            // shared state first: a member taking the breaker over finds every ejection the registry shows
            placement.save(b.key, new BreakerPlacement.Ejection(n, until, null));
            if (setEjected(b.key, true, now).isEmpty()) {
                breakers.remove(b.key);
                placement.forget(b.key);
                return false;
            }
            b.ejections = n;
            b.closedAt = null;
            b.ejected = true;
            b.ejectedUntil = until;
            b.failuresAtEjection = b.reportedFailures();
            ejectionsCounter.increment();
            return true;
        }
    }

    private Optional<Instance> setEjected(InstanceKey key, boolean value, Instant now) {
        return registry.update(key, i -> i.withState(i.state().withEjected(value, now)));
    }

    @Override
    public void on(RegistryEvent event) {
        if (event instanceof RegistryEvent.Deregistered || event instanceof RegistryEvent.Evicted) {
            InstanceKey key = event.instance().key();
            breakers.remove(key);
            if (placement.owns(key)) {
                placement.forget(key);
            }
        }
    }
}
