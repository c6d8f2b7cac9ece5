package io.beacon.cluster;

import io.beacon.outlier.BreakerPlacement;
import io.beacon.registry.InstanceKey;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.infinispan.Cache;
import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outlier breakers in a cluster: an instance's breaker lives on its owner ({@link KeyOwners}). A report received by another member is sent to the owner with Infinispan's
 * cluster executor ({@link RoutedReport}) and answered from there; when the owner cannot be reached (it
 * is leaving), the report is applied here instead and counted in {@code beacon.cluster.reports.unrouted}.
 * Ejection state is kept in the replicated cache {@code beacon-ejections}: one write on each ejection and
 * on its end.
 */
final class ClusterBreakerPlacement implements BreakerPlacement {

    private static final Logger log = LoggerFactory.getLogger(ClusterBreakerPlacement.class);

    private final EmbeddedCacheManager manager;
    private final KeyOwners owners;
    private final InstanceStates<StoredEjection> ejections;
    private final long timeoutMillis;
    private final Counter unrouted;

    ClusterBreakerPlacement(EmbeddedCacheManager manager, KeyOwners owners, Cache<String, StoredEjection> ejections,
            Duration timeout, Counter unrouted) {
        this.manager = manager;
        this.owners = owners;
        this.ejections = new InstanceStates<>(ejections);
        this.timeoutMillis = timeout.toMillis();
        this.unrouted = unrouted;
    }

    @Override
    public void serve(Reports local) {
        GlobalComponentRegistry.of(manager).registerComponent(local, RoutedReport.HANDLER);
    }

    @Override
    public Optional<ReportVerdict> report(InstanceKey key, boolean success, long latencyMs, Reports local) {
        Address owner = owners.primary(key);
        if (owner == null || owner.equals(owners.self())) {
            return local.apply(key, success, latencyMs);
        }
        AtomicReference<RoutedReport.Verdict> answer = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            manager.executor().filterTargets(List.of(owner)).timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                    .submitConsumer(new RoutedReport(key.service().value(), key.id(), success, latencyMs),
                            (address, verdict, error) -> {
                                answer.set(verdict);
                                failure.set(error);
                            })
                    .join();
        } catch (CompletionException e) {
            failure.compareAndSet(null, e.getCause());
        }
        if (answer.get() != null && failure.get() == null) {
            return answer.get().toVerdict();
        }
        log.debug("Report about {} not applied by its owner {}; applied here", key, owner, failure.get());
        unrouted.increment();
        return local.apply(key, success, latencyMs);
    }

    @Override
    public boolean owns(InstanceKey key) {
        return owners.isPrimary(key);
    }

    @Override
    public Optional<Ejection> ejection(InstanceKey key) {
        return ejections.get(key, StoredEjection::toEjection);
    }

    @Override
    public void save(InstanceKey key, Ejection ejection) {
        ejections.put(key, StoredEjection.of(ejection));
    }

    @Override
    public void forget(InstanceKey key) {
        ejections.remove(key);
    }

    @Override
    public Collection<InstanceKey> ejected() {
        return ejections.keys(StoredEjection::isEjected).toList();
    }
}
