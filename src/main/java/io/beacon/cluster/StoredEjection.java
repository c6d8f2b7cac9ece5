package io.beacon.cluster;

import io.beacon.outlier.BreakerPlacement;
import java.time.Instant;
import org.infinispan.protostream.annotations.ProtoField;

/**
 * The replicated form of a {@link BreakerPlacement.Ejection}: instants in epoch nanoseconds, {@code 0}
 * for none.
 */
public record StoredEjection(
        @ProtoField(number = 1, defaultValue = "0") int ejections,
        @ProtoField(number = 2, defaultValue = "0") long ejectedUntil,
        @ProtoField(number = 3, defaultValue = "0") long closedAt) {

    static StoredEjection of(BreakerPlacement.Ejection e) {
        return new StoredEjection(e.ejections(), nanos(e.ejectedUntil()), nanos(e.closedAt()));
    }

    BreakerPlacement.Ejection toEjection() {
        return new BreakerPlacement.Ejection(ejections, instant(ejectedUntil), instant(closedAt));
    }

    boolean isEjected() {
        return ejectedUntil != 0;
    }

    private static long nanos(Instant t) {
        return t == null ? 0 : StoredInstance.nanos(t);
    }

    private static Instant instant(long nanos) {
        return nanos == 0 ? null : StoredInstance.instant(nanos);
    }
}
