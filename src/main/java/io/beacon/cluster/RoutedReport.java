package io.beacon.cluster;

import io.beacon.outlier.BreakerPlacement;
import io.beacon.registry.InstanceKey;
import java.util.function.Function;
import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.protostream.annotations.ProtoField;

/**
 * One outlier report sent to the member that owns the instance's breaker, run there by Infinispan's
 * cluster executor. The owner applies it with the report handler its outlier detector registered
 * ({@link ClusterBreakerPlacement#serve}) and answers with a {@link Verdict}.
 */
public record RoutedReport(
        @ProtoField(1) String service,
        @ProtoField(2) String id,
        @ProtoField(number = 3, defaultValue = "false") boolean success,
        @ProtoField(number = 4, defaultValue = "0") long latencyMs) implements Function<EmbeddedCacheManager, RoutedReport.Verdict> {

    /** Name of the report handler in the cache manager's component registry. */
    static final String HANDLER = "io.beacon.outlier.reports";

    @Override
    public Verdict apply(EmbeddedCacheManager manager) {
        BreakerPlacement.Reports reports = GlobalComponentRegistry.of(manager).getComponent(HANDLER);
        if (reports == null) {
            return new Verdict(false, null, false, false, 0); // outlier detection is off on that member
        }
        return reports.apply(InstanceKey.of(service, id), success, latencyMs)
                .map(v -> new Verdict(true, v.breaker(), v.recorded(), v.ejected(),
                        v.ejectedUntil() == null ? 0 : StoredInstance.nanos(v.ejectedUntil())))
                .orElseGet(() -> new Verdict(false, null, false, false, 0));
    }

    /**
     * The owner's answer.
     *
     * @param found false when the owner does not know the instance (or does not detect outliers)
     * @param ejectedUntil epoch nanoseconds, 0 for none
     */
    public record Verdict(
            @ProtoField(number = 1, defaultValue = "false") boolean found,
            @ProtoField(2) String breaker,
            @ProtoField(number = 3, defaultValue = "false") boolean recorded,
            @ProtoField(number = 4, defaultValue = "false") boolean ejected,
            @ProtoField(number = 5, defaultValue = "0") long ejectedUntil) {

        java.util.Optional<BreakerPlacement.ReportVerdict> toVerdict() {
            return found ? java.util.Optional.of(new BreakerPlacement.ReportVerdict(breaker, recorded, ejected,
                    ejectedUntil == 0 ? null : StoredInstance.instant(ejectedUntil))) : java.util.Optional.empty();
        }
    }
}
