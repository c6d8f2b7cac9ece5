package io.beacon.expiry;

import io.beacon.background.BackgroundPass;
import io.beacon.registry.ExpiryDecision;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.Registry;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryListener;
import io.beacon.role.NodeRole;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Marks instances STALE when their lease lapses and evicts them later. {@link #sweep(Instant)} is one
 * pass that tests call directly; the background scheduler calls it every {@code beacon.sweep.interval}.
 * Each decision is re-checked inside the registry's atomic update, so a racing heartbeat wins.
 *
 * <p>Only the member holding the {@link NodeRole} applies expiry (a single node always does). Every
 * member keeps its deadline queue fed from the registry's events, so when the role moves, the new holder's
 * next pass finds every due instance at once; a pass on a member without the role changes nothing.
 */
@Component
public class ExpirySweeper implements BackgroundPass, RegistryListener {

    private final Registry registry;
    private final EvictionGuard guard;
    private final DeadlineQueue deadlines = new DeadlineQueue();
    private final Clock clock;
    private final Duration interval;
    private final WarmUp warmUp;
    private final NodeRole role;

    public ExpirySweeper(Registry registry, Clock clock, SweepProperties properties) {
        this(registry, clock, properties, Optional.empty(), NodeRole.SINGLE_NODE);
    }

    public ExpirySweeper(Registry registry, Clock clock, SweepProperties properties, Optional<EvictionGuard> guard) {
        this(registry, clock, properties, guard, NodeRole.SINGLE_NODE);
    }

    @Autowired
    public ExpirySweeper(Registry registry, Clock clock, SweepProperties properties, Optional<EvictionGuard> guard,
            NodeRole role) {
        this.registry = registry;
        this.role = role;
        this.guard = guard.orElse(EvictionGuard.NONE);
        this.clock = clock;
        this.interval = properties.interval();
        this.warmUp = new WarmUp(clock, properties.warmUp());
    }

    /** The warm-up after start, also a health component. */
    WarmUp warmUp() {
        return warmUp;
    }

    /**
     * Keeps the deadline queue in step with the registry: new instances are queued at their deadline,
     * renewed or changed ones move to their new deadline, removed ones leave the queue. A must-see
     * listener: it runs before any other.
     */
    @Override
    public void on(RegistryEvent event) {
        Instance instance = event.instance();
        if (event instanceof RegistryEvent.Registered) {
            deadlines.schedule(instance.key(), ExpiryPolicy.nextDeadline(instance));
        } else if (event instanceof RegistryEvent.Renewed renewed) {
            move(renewed.previous(), instance);
        } else if (event instanceof RegistryEvent.Updated updated) {
            move(updated.previous(), instance);
        } else if (event instanceof RegistryEvent.StatusChanged changed) {
            move(changed.previous(), instance);
        } else {
            deadlines.cancel(instance.key(), ExpiryPolicy.nextDeadline(instance));
        }
    }

    @Override
    public Phase phase() {
        return Phase.MUST_SEE;
    }

    private void move(Instance previous, Instance next) {
        deadlines.move(next.key(), ExpiryPolicy.nextDeadline(previous), ExpiryPolicy.nextDeadline(next));
    }

    /**
     * One pass: re-evaluates every instance whose deadline has come (only those: healthy instances are
     * not visited). The {@link EvictionGuard} sees how
     * many instances the pass would mark STALE and evict before anything is applied; when it holds
     * evictions back, those instances are only marked STALE and are looked at again next pass.
     * Without the {@link NodeRole}, nothing: the due instances wait in the queue for this member's turn.
     */
    public synchronized SweepResult sweep(Instant now) {
        if (!role.holdsExpiry()) {
            return SweepResult.NONE;
        }
        List<InstanceKey> due = deadlines.pollDue(now);
        List<InstanceKey> actionable = new ArrayList<>();
        int toMark = 0;
        int toEvict = 0;
        for (InstanceKey key : due) {
            Optional<Instance> current = registry.get(key);
            if (current.isEmpty()) {
                continue;
            }
            ExpiryDecision decision = ExpiryPolicy.decide(current.get(), now);
            if (decision == ExpiryDecision.KEEP) {
                deadlines.schedule(key, ExpiryPolicy.nextDeadline(current.get()));
            } else {
                actionable.add(key);
                if (decision == ExpiryDecision.EVICT) {
                    toEvict++;
                } else {
                    toMark++;
                }
            }
        }
        boolean hold = guard.holdEvictions(toMark, toEvict, now);
        int stale = 0;
        int evicted = 0;
        int deferred = 0;
        for (InstanceKey key : actionable) {
            boolean[] held = {false};
            Registry.Expiry result = registry.expire(key, now, i -> {
                ExpiryDecision decision = ExpiryPolicy.decide(i, now);
                if (decision == ExpiryDecision.EVICT && (hold || warmUp.holds(i, now))) {
                    held[0] = true;
                    return ExpiryDecision.MARK_STALE;
                }
                return decision;
            });
            switch (result.applied()) {
                case EVICT -> evicted++;
                case MARK_STALE -> stale++;
                default -> {
                }
            }
            if (held[0]) {
                deferred++;
            }
            result.instance().ifPresent(i -> deadlines.schedule(key, ExpiryPolicy.nextDeadline(i)));
        }
        return new SweepResult(due.size(), stale, evicted, deferred);
    }

    /** Entries waiting in the deadline queue (for tests and diagnostics). */
    int pending() {
        return deadlines.size();
    }

    @Override
    public String passName() {
        return "expiry sweep";
    }

    @Override
    public Duration passInterval() {
        return interval;
    }

    @Override
    public void runPass() {
        sweep(clock.instant());
    }
}
