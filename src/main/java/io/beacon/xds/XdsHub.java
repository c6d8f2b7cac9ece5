package io.beacon.xds;

import io.beacon.policy.PolicyChanged;
import io.beacon.registry.Registry;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryListener;
import io.beacon.registry.ServiceName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;

/**
 * The open ADS streams and which services each depends on. A registry change (renewals excepted) or a policy
 * change schedules a push to the streams subscribed to that service only; streams subscribed to every cluster
 * (a wildcard CDS subscription, as Envoy makes) are told too when a service appears or goes, or its policy
 * changes. Pushes run on the xDS push threads, never on the writer's thread.
 */
final class XdsHub implements RegistryListener {

    private static final Logger log = LoggerFactory.getLogger(XdsHub.class);

    private final XdsCatalog catalog;
    private final Registry registry;
    private final Executor pushes;
    private final XdsMetrics metrics;
    private final int pushThreads;
    private final Map<ServiceName, Set<XdsStream<?, ?>>> watchers = new ConcurrentHashMap<>();
    private final Set<XdsStream<?, ?>> everyCluster = ConcurrentHashMap.newKeySet();
    private final Set<XdsStream<?, ?>> open = ConcurrentHashMap.newKeySet();

    /** @param pushThreads how many threads {@code pushes} runs: the pushes of one change are split among them */
    XdsHub(XdsCatalog catalog, Registry registry, Executor pushes, int pushThreads, XdsMetrics metrics) {
        this.catalog = catalog;
        this.registry = registry;
        this.pushes = pushes;
        this.pushThreads = pushThreads;
        this.metrics = metrics;
        metrics.streams(open::size);
    }

    XdsCatalog catalog() {
        return catalog;
    }

    int streams() {
        return open.size();
    }

    void opened(XdsStream<?, ?> stream) {
        open.add(stream);
    }

    void closed(XdsStream<?, ?> stream, Set<ServiceName> watched, boolean clusters) {
        open.remove(stream);
        watch(stream, watched, Set.of(), clusters, false);
    }

    /** Moves a stream's subscriptions from {@code before} to {@code now}. */
    void watch(XdsStream<?, ?> stream, Set<ServiceName> before, Set<ServiceName> now, boolean clustersBefore,
            boolean clustersNow) {
        for (ServiceName s : before) {
            if (!now.contains(s)) {
                watchers.computeIfPresent(s, (k, set) -> {
                    set.remove(stream);
                    return set.isEmpty() ? null : set;
                });
            }
        }
        for (ServiceName s : now) {
            if (!before.contains(s)) {
                watchers.computeIfAbsent(s, k -> ConcurrentHashMap.newKeySet()).add(stream);
            }
        }
        if (clustersNow) {
            everyCluster.add(stream);
        } else if (clustersBefore) {
            everyCluster.remove(stream);
        }
    }

    @Override
    public void on(RegistryEvent event) {
        if (!event.isChange()) {
            return;
        }
        boolean membership = event instanceof RegistryEvent.Registered || event instanceof RegistryEvent.Deregistered
                || event instanceof RegistryEvent.Evicted;
        if (membership && !(event instanceof RegistryEvent.Registered) && registry.service(event.service()).isEmpty()) {
            catalog.forget(event.service());
        }
        changed(event.service(), membership);
    }

    @EventListener
    void onPolicyChanged(PolicyChanged event) {
        changed(event.service(), true);
    }

    /**
     * Claims a push on every stream the change concerns and runs the pushes in one task per push thread: a
     * change seen by 1,000 streams is a couple of hand-offs to the push threads, not 1,000 of them.
     */
    private void changed(ServiceName service, boolean clusters) {
        List<XdsStream<?, ?>> claimed = new ArrayList<>();
        Set<XdsStream<?, ?>> subscribed = watchers.get(service);
        if (subscribed != null) {
            subscribed.forEach(stream -> claim(stream, claimed));
        }
        if (clusters) {
            everyCluster.forEach(stream -> claim(stream, claimed));
        }
        int tasks = Math.min(pushThreads, claimed.size());
        for (int t = 0; t < tasks; t++) {
            List<XdsStream<?, ?>> share = claimed.subList(claimed.size() * t / tasks, claimed.size() * (t + 1) / tasks);
            if (!execute(() -> share.forEach(XdsStream::runScheduled))) {
                share.forEach(XdsStream::unclaim);
            }
        }
    }

    private static void claim(XdsStream<?, ?> stream, List<XdsStream<?, ?>> claimed) {
        if (stream.claim()) {
            claimed.add(stream);
        }
    }

    /** Runs a push on the push threads; false when they refused it (the stream tries at the next change). */
    boolean execute(Runnable push) {
        try {
            pushes.execute(push);
            return true;
        } catch (RejectedExecutionException e) {
            log.warn("xDS push refused ({}); the stream is pushed again at the next change", e.getMessage());
            return false;
        }
    }

    void pushed(ResourceType type) {
        metrics.pushed(type);
    }

    void rejected(String node, ResourceType type, String version, String detail) {
        metrics.rejected(type);
        log.warn("xDS client {} rejected {} version {}: {}", node, type.tag(), version, detail);
    }

    void unknownType(String node, String typeUrl) {
        log.debug("xDS client {} asked for {}, a type Beacon does not serve", node, typeUrl);
    }
}
