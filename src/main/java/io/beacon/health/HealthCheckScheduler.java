package io.beacon.health;

import io.beacon.registry.CheckSpec;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.Registry;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryListener;
import io.beacon.web.StatusFacts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.springframework.beans.factory.DisposableBean;

/**
 * Runs the active check of every instance that registered one, and feeds the verdicts into the registry.
 *
 * <p>Lifecycle follows registry events: a check starts when an instance with a check registers (or
 * changes its check) and stops when it deregisters, is evicted or drops its check. The first run of
 * each check is delayed by a random share of its interval (drawn from the injected random source), so many
 * checks with the same interval spread out instead of firing together.
 *
 * <p>Verdicts: after {@code failuresBeforeDown} consecutive failures the instance's check turns failing
 * (status DOWN); after {@code successesBeforeUp} consecutive successes it turns passing again.
 *
 * <p>Keep-alive rule: while an instance has <em>never heartbeated on its own</em> since its check
 * started, each passing probe renews its lease (and clears STALE), so a check alone keeps it registered.
 * As soon as the lease shows a renewal the checker did not make (a heartbeat or re-registration), the
 * instance counts as heartbeating for the rest of its life and the check no longer renews its lease:
 * it must then satisfy both, heartbeats for its lease and the check for its status.
 *
 * <p>Placement: every member schedules every check, but a round runs only where the {@link CheckPlacement}
 * says the instance's check is owned (always here on a single node). A member that gains a check continues
 * from the progress saved by the previous owner (counts capped at what the verdicts need, keep-alive
 * state), and saves it whenever it changes.
 */
public class HealthCheckScheduler implements DisposableBean, RegistryListener, StatusFacts.Source {

    private final Registry registry;
    private final CheckScheduler scheduler;
    private final CheckProbe probe;
    private final Clock clock;
    private final RandomGenerator random;
    private final MeterRegistry meters;
    private final CheckPlacement placement;
    private final Map<InstanceKey, RunningCheck> checks = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    HealthCheckScheduler(Registry registry, CheckScheduler scheduler, CheckProbe probe, Clock clock,
            RandomGenerator random, MeterRegistry meters) {
        this(registry, scheduler, probe, clock, random, meters, CheckPlacement.SINGLE_NODE);
    }

    HealthCheckScheduler(Registry registry, CheckScheduler scheduler, CheckProbe probe, Clock clock,
            RandomGenerator random, MeterRegistry meters, CheckPlacement placement) {
        this.placement = placement;
        this.registry = registry;
        this.scheduler = scheduler;
        this.probe = probe;
        this.clock = clock;
        this.random = random;
        this.meters = meters;
    }

    /** One instance's running check and its consecutive results. */
    private static final class RunningCheck {
        final InstanceKey key;
        final CheckSpec spec;
        final AtomicBoolean inFlight = new AtomicBoolean();
        volatile CheckScheduler.Handle handle;
        volatile boolean stopped;
        /** True while this member owns the check and its counts are current (guarded by inFlight). */
        boolean owned;
        CheckProgress saved;
        int failures;
        int successes;
        Instant renewedByCheck;
        boolean heartbeating;
        String lastAnswer;

        RunningCheck(InstanceKey key, CheckSpec spec, Instant leaseRenewedAt) {
            this.key = key;
            this.spec = spec;
            this.renewedByCheck = leaseRenewedAt;
        }
    }

    @Override
    public void on(RegistryEvent event) {
        Instance instance = event.instance();
        if (event instanceof RegistryEvent.Registered) {
            start(instance);
        } else if (event instanceof RegistryEvent.Updated || event instanceof RegistryEvent.StatusChanged) {
            restartIfChanged(instance);
        } else if (event instanceof RegistryEvent.Deregistered || event instanceof RegistryEvent.Evicted) {
            RunningCheck running = checks.get(instance.key());
            stop(instance.key());
            if (running != null && placement.owns(instance.key())) {
                placement.forget(instance.key());
            }
        }
    }

    private void restartIfChanged(Instance instance) {
        RunningCheck running = checks.get(instance.key());
        CheckSpec current = running == null ? null : running.spec;
        if (!Objects.equals(current, instance.check())) {
            stop(instance.key());
            start(instance);
        }
    }

    private void start(Instance instance) {
        CheckSpec spec = instance.check();
        if (spec == null) {
            return;
        }
        RunningCheck check = new RunningCheck(instance.key(), spec, instance.lease().lastRenewedAt());
        RunningCheck previous = checks.put(instance.key(), check);
        if (previous != null) {
            cancel(previous);
        }
        Duration jitter = Duration.ofMillis(random.nextLong(Math.max(1, spec.interval().toMillis())));
        check.handle = scheduler.schedule(() -> run(check), jitter, spec.interval());
        if (check.stopped) {
            check.handle.cancel();
        }
    }

    private void stop(InstanceKey key) {
        RunningCheck check = checks.remove(key);
        if (check != null) {
            cancel(check);
        }
    }

    private static void cancel(RunningCheck check) {
        check.stopped = true;
        CheckScheduler.Handle handle = check.handle;
        if (handle != null) {
            handle.cancel();
        }
    }

    /**
     * Runs the instance's check once now and applies the result; completes when the verdict is in the
     * registry. Completes at once (false) when the instance has no running check.
     */
    public CompletableFuture<Boolean> checkNow(InstanceKey key) {
        RunningCheck check = checks.get(key);
        return check == null ? CompletableFuture.completedFuture(false) : run(check);
    }

    /**
     * Where the instance's check stands: from the running check when this member owns it, else the progress
     * its owner saved; empty when it has no check.
     */
    public java.util.Optional<CheckProgress> progress(InstanceKey key) {
        RunningCheck check = checks.get(key);
        if (check == null) {
            return java.util.Optional.empty();
        }
        if (check.owned || placement == CheckPlacement.SINGLE_NODE) {
            synchronized (check) {
                return java.util.Optional.of(progress(check));
            }
        }
        String spec = check.spec.toString();
        return placement.progress(key).filter(p -> p.spec().equals(spec));
    }

    /** The last answer of the instance's check, for the explanation of its status. */
    @Override
    public StatusFacts of(Instance instance) {
        return progress(instance.key()).map(CheckProgress::lastAnswer)
                .map(answer -> new StatusFacts(answer, null, null, null)).orElse(StatusFacts.NONE);
    }

    /** The running check's progress; the caller holds its monitor. */
    private static CheckProgress progress(RunningCheck check) {
        return new CheckProgress(check.spec.toString(), check.failures, check.successes, check.renewedByCheck,
                check.heartbeating, check.lastAnswer);
    }

    /** Instances whose check is running (for tests and diagnostics). */
    public int running() {
        return checks.size();
    }

    private CompletableFuture<Boolean> run(RunningCheck check) {
        if (check.stopped) {
            return CompletableFuture.completedFuture(false);
        }
        if (!placement.owns(check.key)) {
            check.owned = false; // read again from the shared progress when the check comes back here
            return CompletableFuture.completedFuture(false);
        }
        if (!check.inFlight.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(false);
        }
        if (!check.owned) {
            adopt(check);
        }
        CompletableFuture<CheckProbe.Result> result;
        try {
            result = probe.run(check.spec);
        } catch (RuntimeException e) {
            result = CompletableFuture.completedFuture(new CheckProbe.Result(false, "not run"));
        }
        return result.thenApply(r -> {
            try {
                record(check, r.passed(), r.answer());
                return true;
            } finally {
                check.inFlight.set(false);
            }
        });
    }

    /** Continues from the progress another member (or an earlier spell here) saved for the same check. */
    private void adopt(RunningCheck check) {
        String spec = check.spec.toString();
        placement.progress(check.key).filter(p -> p.spec().equals(spec)).ifPresent(p -> {
            synchronized (check) {
                check.failures = p.failures();
                check.successes = p.successes();
                check.renewedByCheck = p.renewedByCheck();
                check.heartbeating = p.heartbeating();
                check.lastAnswer = p.lastAnswer();
                check.saved = p;
            }
        });
        check.owned = true;
    }

    private void record(RunningCheck check, boolean passed, String answer) {
        counter(check.spec.type(), passed).increment();
        if (check.stopped) {
            return;
        }
        Boolean verdict;
        synchronized (check) {
            check.lastAnswer = answer;
            if (passed) {
                check.successes = Math.min(check.successes + 1, check.spec.successesBeforeUp());
                check.failures = 0;
                verdict = check.successes >= check.spec.successesBeforeUp() ? Boolean.TRUE : null;
            } else {
                check.failures = Math.min(check.failures + 1, check.spec.failuresBeforeDown());
                check.successes = 0;
                verdict = check.failures >= check.spec.failuresBeforeDown() ? Boolean.FALSE : null;
            }
        }
        Instant now = clock.instant();
        registry.update(check.key, i -> apply(check, i, passed, verdict, now));
        if (placement != CheckPlacement.SINGLE_NODE) {
            save(check);
        }
    }

    private void save(RunningCheck check) {
        CheckProgress progress;
        synchronized (check) {
            progress = progress(check);
            if (progress.equals(check.saved)) {
                return;
            }
            check.saved = progress;
        }
        if (!check.stopped) {
            placement.save(check.key, progress);
        }
    }

    /** Runs inside the registry's atomic update of the instance. */
    private static Instance apply(RunningCheck check, Instance i, boolean passed, Boolean verdict, Instant now) {
        if (check.stopped || !Objects.equals(i.check(), check.spec)) {
            return i;
        }
        Instance next = verdict == null ? i : i.withState(i.state().withCheckPassing(verdict, now));
        synchronized (check) {
            if (!check.heartbeating && !i.lease().lastRenewedAt().equals(check.renewedByCheck)) {
                check.heartbeating = true;
            }
            if (passed && !check.heartbeating && !Boolean.FALSE.equals(next.state().checkPassing())) {
                next = next.withLease(i.lease().renew(now));
                if (next.state().stale()) {
                    next = next.withState(next.state().withStale(false, now));
                }
                check.renewedByCheck = now;
            }
        }
        return next;
    }

    private Counter counter(CheckSpec.Type type, boolean passed) {
        String t = type.name().toLowerCase(java.util.Locale.ROOT);
        String r = passed ? "passing" : "failing";
        return counters.computeIfAbsent(t + "/" + r, k -> Counter.builder("beacon.checks").tag("type", t)
                .tag("result", r).description("Active health check runs, by type and result").register(meters));
    }

    @Override
    public void destroy() {
        checks.keySet().forEach(this::stop);
    }
}
