package io.beacon.balance;

import io.beacon.discovery.DiscoveryQuery;
import io.beacon.policy.PolicyChanged;
import io.beacon.policy.PolicyStore;
import io.beacon.policy.ServicePolicy;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryListener;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Picks one instance for {@code GET /discover/one}: applies the query's filters, the service's version
 * split (unless the query names a version), the zone preference, then the strategy.
 *
 * <p>Balancer state is kept per service and per selection (strategy, filters, chosen version, zone
 * preference), at most {@code beacon.balance.max-selections-per-service} per service. A service's
 * states are dropped when its policy changes and when its last instance leaves; balancers that derive
 * structures from the members rebuild them when the members change (see {@link Pool}).
 */
@Component
public class LoadBalancer implements RegistryListener {

    private final PolicyStore policies;
    private final Registry registry;
    private final BalanceProperties properties;
    private final Supplier<RandomGenerator> random;
    private final Map<ServiceName, Map<Selection, Balancer>> states = new ConcurrentHashMap<>();

    /** What a balancer state is kept for; equal selections share one balancer. */
    record Selection(Strategy strategy, List<String> tags, String zone, String version, Map<String, String> meta,
            Set<InstanceStatus> statuses, String splitVersion, String preferredZone) {
    }

    @Autowired
    public LoadBalancer(PolicyStore policies, Registry registry, BalanceProperties properties) {
        this(policies, registry, properties, ThreadLocalRandom::current);
    }

    LoadBalancer(PolicyStore policies, Registry registry, BalanceProperties properties,
            Supplier<RandomGenerator> random) {
        this.policies = policies;
        this.registry = registry;
        this.properties = properties;
        this.random = random;
    }

    /** The strategy of a pick: the requested one, else the service's policy, else the configured default. */
    public Strategy strategyFor(ServiceName service, Strategy requested) {
        if (requested != null) {
            return requested;
        }
        String fromPolicy = policies.get(service).strategy();
        return Strategy.parse(fromPolicy).orElseGet(properties::strategy);
    }

    /**
     * One instance of {@code snapshot} matching {@code query}, or empty when none is available.
     *
     * @param strategy the strategy (see {@link #strategyFor})
     * @param key the hash key, required for {@link Strategy#CONSISTENT_HASH}
     * @param preferZone a zone to pick within when it has candidates, or null
     */
    public Optional<Instance> pick(ServiceSnapshot snapshot, DiscoveryQuery query, Strategy strategy, String key,
            String preferZone) {
        List<Instance> candidates = query.select(snapshot);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        String splitVersion = null;
        if (query.version() == null) {
            List<ServicePolicy.VersionWeight> split = policies.get(snapshot.name()).split();
            if (split != null && !split.isEmpty()) {
                splitVersion = VersionSplit.choose(split, candidates, random.get());
                if (splitVersion != null) {
                    String version = splitVersion;
                    candidates = keep(candidates, i -> version.equals(i.version()));
                }
            }
        }
        String preferred = null;
        if (preferZone != null) {
            List<Instance> inZone = keep(candidates, i -> preferZone.equals(i.zone()));
            if (!inZone.isEmpty()) {
                candidates = inZone;
                preferred = preferZone;
            }
        }
        Selection selection = new Selection(strategy, List.copyOf(new TreeSet<>(query.tags())), query.zone(),
                query.version(), query.meta(), query.statuses(), splitVersion, preferred);
        return Optional.of(balancer(snapshot.name(), selection).pick(new Pool(snapshot.index(), candidates), key));
    }

    private Balancer balancer(ServiceName service, Selection selection) {
        Map<Selection, Balancer> forService = states.computeIfAbsent(service, s -> new ConcurrentHashMap<>());
        Balancer balancer = forService.get(selection);
        if (balancer != null) {
            return balancer;
        }
        if (forService.size() >= properties.maxSelectionsPerService()) {
            forService.clear();
        }
        return forService.computeIfAbsent(selection,
                s -> s.strategy().newBalancer(random, properties.virtualNodes()));
    }

    /** Number of balancer states kept for a service (for tests and diagnostics). */
    int stateCount(ServiceName service) {
        Map<Selection, Balancer> forService = states.get(service);
        return forService == null ? 0 : forService.size();
    }

    @EventListener
    void onPolicyChanged(PolicyChanged event) {
        states.remove(event.service());
    }

    /** Drops a service's states once its last instance has left. */
    @Override
    public void on(RegistryEvent event) {
        if ((event instanceof RegistryEvent.Deregistered || event instanceof RegistryEvent.Evicted)
                && states.containsKey(event.service()) && registry.service(event.service()).isEmpty()) {
            states.remove(event.service());
        }
    }

    private static List<Instance> keep(List<Instance> instances, Predicate<Instance> test) {
        List<Instance> kept = new ArrayList<>(instances.size());
        for (Instance i : instances) {
            if (test.test(i)) {
                kept.add(i);
            }
        }
        return kept;
    }
}
