package io.beacon.eureka;

import io.beacon.registry.Instance;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceSnapshot;
import io.beacon.registry.SharedAnswer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * Builds Eureka's {@code Applications} answers from the registry: the full registry, the recent
 * changes (delta), and subsets by VIP address.
 *
 * <p>The full registry, its encodings and each application's encodings are reused until the change counter of {@link RecentChanges}
 * moves, the delta's encodings until its retained changes do; there is no time-based cache, so a change is visible to the next fetch. Each is built once per
 * change and shared ({@link SharedAnswer}): the readers arriving together after a change wait for the
 * first one's build and are all written from the same bytes. Renewals do not move
 * the counter, so {@code lastRenewalTimestamp} in a reused answer may lag (Eureka clients ignore it).
 */
@Component
class EurekaApps {

    /** An {@code Applications} answer: version, reconcile hash code and applications sorted by name. */
    record Applications(long version, String appsHashCode, List<EurekaInstance.App> apps) {
    }

    /**
     * The applications of one version by name (case-insensitive, as Eureka matches them) and their
     * encodings built so far, keyed by application name and encoding; replaced whole with the next
     * version, so the encodings of a removed application go with it.
     */
    private record ByApp(long version, Map<String, EurekaInstance.App> apps,
            Map<String, SharedAnswer<byte[]>> encoded) {
    }

    private final Registry registry;
    private final RecentChanges changes;
    private final SharedAnswer<Applications> full = new SharedAnswer<>();
    private final Map<String, SharedAnswer<byte[]>> encoded = new ConcurrentHashMap<>();
    private final SharedAnswer<ByApp> byApp = new SharedAnswer<>();
    private final Map<String, SharedAnswer<byte[]>> deltaEncoded = new ConcurrentHashMap<>();
    private final LongAdder applicationEncodings = new LongAdder();

    EurekaApps(Registry registry, RecentChanges changes) {
        this.registry = registry;
        this.changes = changes;
    }

    /** The whole registry. */
    Applications full() {
        long version = changes.version();
        return full.get(version, () -> build(version));
    }

    /** The full registry encoded by {@code encoder}, reused per {@code key} until the registry changes. */
    byte[] fullEncoded(String key, Function<Applications, byte[]> encoder) {
        long version = changes.version();
        return encoded.computeIfAbsent(key, k -> new SharedAnswer<>())
                .get(version, () -> encoder.apply(full.get(version, () -> build(version))));
    }

    /**
     * One application (its name matched ignoring case) encoded by {@code encoder}, reused per
     * application and {@code key} until the registry changes; empty when no instance of it is registered.
     * Readers arriving together after a change share one build of the index and of each encoding.
     */
    Optional<byte[]> applicationEncoded(String app, String key, Function<EurekaInstance.App, byte[]> encoder) {
        long version = changes.version();
        ByApp index = byApp.get(version, () -> index(version));
        EurekaInstance.App found = index.apps().get(app);
        if (found == null) {
            return Optional.empty();
        }
        return Optional.of(index.encoded().computeIfAbsent(found.name() + '\n' + key, k -> new SharedAnswer<>())
                .get(index.version(), () -> {
                    applicationEncodings.increment();
                    return encoder.apply(found);
                }));
    }

    /** Builds of the full registry and of its encodings so far. */
    long builds() {
        return full.builds() + encoded.values().stream().mapToLong(SharedAnswer::builds).sum();
    }

    /** Builds of the per-application index and of the per-application encodings so far. */
    long applicationBuilds() {
        return byApp.builds() + applicationEncodings.sum();
    }

    /**
     * The delta encoded by {@code encoder}, reused per {@code key} while the retained changes stay the same
     * (no change, none aged out): readers arriving together share one build and one body, however many
     * changes the retention holds (up to {@code beacon.eureka.delta-max-entries}).
     */
    byte[] deltaEncoded(String key, Function<Applications, byte[]> encoder) {
        long generation = changes.generation();
        return deltaEncoded.computeIfAbsent(key, k -> new SharedAnswer<>())
                .get(generation, () -> encoder.apply(delta()));
    }

    /** Builds of the delta's encodings so far. */
    long deltaBuilds() {
        return deltaEncoded.values().stream().mapToLong(SharedAnswer::builds).sum();
    }

    /** Changes of the retention window; the hash code is over the whole registry, as Eureka does. */
    Applications delta() {
        RecentChanges.Snapshot snapshot = changes.snapshot();
        Map<String, List<EurekaInstance.Entry>> byApp = new TreeMap<>();
        for (RecentChanges.Change c : snapshot.changes()) {
            byApp.computeIfAbsent(c.entry().instance().app(), k -> new ArrayList<>()).add(c.entry());
        }
        List<EurekaInstance.App> apps = new ArrayList<>();
        byApp.forEach((name, entries) -> {
            // DELETED last: a Netflix client that does not know the application yet adopts the delta's
            // whole application object on its first ADDED/MODIFIED entry, so a DELETED entry listed before
            // it would be skipped and then resurrected, failing the hash check and forcing a full fetch.
            entries.sort(Comparator.comparing(e -> e.actionType() == EurekaInstance.ActionType.DELETED));
            apps.add(new EurekaInstance.App(name, entries));
        });
        return new Applications(snapshot.version(), full().appsHashCode(), apps);
    }

    /** The instances matching {@code filter}, grouped by application, with their own hash code. */
    Applications matching(Predicate<EurekaInstance> filter) {
        Applications all = full();
        List<EurekaInstance.App> apps = new ArrayList<>();
        for (EurekaInstance.App app : all.apps()) {
            List<EurekaInstance.Entry> kept = app.instances().stream().filter(e -> filter.test(e.instance())).toList();
            if (!kept.isEmpty()) {
                apps.add(new EurekaInstance.App(app.name(), kept));
            }
        }
        return new Applications(all.version(), reconcileHashCode(apps), apps);
    }

    /**
     * Eureka's reconcile hash code: for each status in sorted order, {@code STATUS_count_}, counted over
     * every instance of every application (for example {@code DOWN_1_UP_5_}).
     */
    static String reconcileHashCode(Collection<EurekaInstance.App> apps) {
        Map<String, Integer> counts = new TreeMap<>();
        for (EurekaInstance.App app : apps) {
            for (EurekaInstance.Entry e : app.instances()) {
                counts.merge(e.instance().status(), 1, Integer::sum);
            }
        }
        StringBuilder sb = new StringBuilder();
        counts.forEach((status, count) -> sb.append(status).append('_').append(count).append('_'));
        return sb.toString();
    }

    private ByApp index(long version) {
        Applications all = full.get(version, () -> build(version));
        Map<String, EurekaInstance.App> apps = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (EurekaInstance.App app : all.apps()) {
            apps.putIfAbsent(app.name(), app); // the first of names equal but for case, as a scan finds it
        }
        return new ByApp(all.version(), apps, new ConcurrentHashMap<>());
    }

    private Applications build(long version) {
        List<EurekaInstance.App> apps = new ArrayList<>();
        for (ServiceSnapshot service : registry.services()) {
            List<EurekaInstance.Entry> entries = new ArrayList<>(service.instances().size());
            for (Instance i : service.instances()) {
                entries.add(new EurekaInstance.Entry(EurekaMapper.toEureka(i), null));
            }
            apps.add(new EurekaInstance.App(EurekaMapper.appName(service.instances().get(0)), entries));
        }
        return new Applications(version, reconcileHashCode(apps), apps);
    }
}
