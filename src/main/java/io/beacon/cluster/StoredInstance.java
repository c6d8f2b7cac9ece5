package io.beacon.cluster;

import io.beacon.registry.CheckSpec;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceState;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Lease;
import io.beacon.registry.ServiceName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.infinispan.protostream.annotations.ProtoField;

/**
 * The replicated form of an {@link Instance}: a flat ProtoStream message (schema {@code beacon.cluster}),
 * so the registry's records stay free of Infinispan annotations. Instants are epoch nanoseconds and
 * durations nanoseconds, both exact.
 *
 * <p>{@code revision} grows by one with every write of the key; writes are compare-and-set on the whole
 * value ({@code replace(key, expected, next)}), so two racing writers never both win. {@code removal}
 * is set on a tombstone: the instance was deregistered ({@code DEREGISTERED}) or evicted
 * ({@code EVICTED}); tombstones are absent for every reader and expire on their own.
 *
 * <p>{@code index} is the service index the write that produced this value gave the service (the
 * cluster-wide index, see {@link LocalView}); a renewal that changes nothing a watcher sees keeps it.
 */
public record StoredInstance(
        @ProtoField(1) String service,
        @ProtoField(2) String id,
        @ProtoField(3) String address,
        @ProtoField(number = 4, defaultValue = "0") int port,
        @ProtoField(number = 5, mapImplementation = HashMap.class) Map<String, String> metadata,
        @ProtoField(number = 6, collectionImplementation = ArrayList.class) List<String> tags,
        @ProtoField(7) String zone,
        @ProtoField(8) String version,
        @ProtoField(number = 9, defaultValue = "0") int weight,
        @ProtoField(number = 10, defaultValue = "0") long registeredAt,
        @ProtoField(number = 11, defaultValue = "0") long lastRenewedAt,
        @ProtoField(number = 12, defaultValue = "0") long leaseDuration,
        @ProtoField(number = 13, defaultValue = "0") long evictAfter,
        @ProtoField(14) String reported,
        @ProtoField(15) String override,
        @ProtoField(16) Boolean checkPassing,
        @ProtoField(number = 17, defaultValue = "false") boolean stale,
        @ProtoField(number = 18, defaultValue = "false") boolean ejected,
        @ProtoField(19) String status,
        @ProtoField(20) String reason,
        @ProtoField(number = 21, defaultValue = "0") long since,
        @ProtoField(number = 22, defaultValue = "0") int inflight,
        @ProtoField(23) String checkType,
        @ProtoField(24) String checkTarget,
        @ProtoField(number = 25, defaultValue = "0") long checkInterval,
        @ProtoField(number = 26, defaultValue = "0") long checkTimeout,
        @ProtoField(number = 27, defaultValue = "0") int checkFailures,
        @ProtoField(number = 28, defaultValue = "0") int checkSuccesses,
        @ProtoField(number = 29, mapImplementation = HashMap.class) Map<String, String> attributes,
        @ProtoField(number = 30, defaultValue = "0") long updatedAt,
        @ProtoField(number = 31, defaultValue = "0") long revision,
        @ProtoField(32) String removal,
        @ProtoField(number = 33, defaultValue = "0") long index) {

    public StoredInstance {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        tags = tags == null ? List.of() : List.copyOf(tags);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    static StoredInstance of(Instance i, long revision) {
        return of(i, revision, 0);
    }

    static StoredInstance of(Instance i, long revision, long index) {
        InstanceState s = i.state();
        CheckSpec c = i.check();
        Lease l = i.lease();
        return new StoredInstance(i.service().value(), i.id(), i.address(), i.port(), i.metadata(), i.tags(),
                i.zone(), i.version(), i.weight(), nanos(l.registeredAt()), nanos(l.lastRenewedAt()),
                l.duration().toNanos(), l.evictAfter().toNanos(), s.reported().name(), name(s.override()),
                s.checkPassing(), s.stale(), s.ejected(), s.status().name(), s.reason(), nanos(s.since()),
                i.inflight(), c == null ? null : c.type().name(), c == null ? null : c.target(),
                c == null ? 0 : c.interval().toNanos(), c == null ? 0 : c.timeout().toNanos(),
                c == null ? 0 : c.failuresBeforeDown(), c == null ? 0 : c.successesBeforeUp(),
                i.attributes(), nanos(i.updatedAt()), revision, null, index);
    }

    Instance toInstance() {
        CheckSpec check = checkType == null ? null : new CheckSpec(CheckSpec.Type.valueOf(checkType), checkTarget,
                Duration.ofNanos(checkInterval), Duration.ofNanos(checkTimeout), checkFailures, checkSuccesses);
        InstanceState state = new InstanceState(InstanceStatus.valueOf(reported),
                override == null ? null : InstanceStatus.valueOf(override), checkPassing, stale, ejected,
                InstanceStatus.valueOf(status), reason, instant(since));
        Lease lease = new Lease(instant(registeredAt), instant(lastRenewedAt), Duration.ofNanos(leaseDuration),
                Duration.ofNanos(evictAfter));
        return new Instance(ServiceName.of(service), id, address, port, metadata, tags, zone, version, weight, lease,
                state, inflight, check, attributes, instant(updatedAt));
    }

    /**
     * This live, not STALE value renewed at {@code at} (epoch nanoseconds) with the reported in-flight
     * count ({@code -1}: none, the stored count stays), one revision later, keeping its index: the stored
     * form of {@code Instance.renewed} for an instance that is not STALE.
     */
    StoredInstance renewed(long at, int reportedInflight) {
        return new StoredInstance(service, id, address, port, metadata, tags, zone, version, weight, registeredAt,
                at, leaseDuration, evictAfter, reported, override, checkPassing, stale, ejected, status,
                reason, since, reportedInflight < 0 ? inflight : reportedInflight, checkType, checkTarget,
                checkInterval, checkTimeout, checkFailures, checkSuccesses, attributes, updatedAt, revision + 1,
                removal, index);
    }

    boolean isTombstone() {
        return removal != null;
    }

    /** This value turned into a tombstone recording why the instance went away (keeping its index). */
    StoredInstance tombstone(String why) {
        return tombstone(why, index);
    }

    /** This value turned into a tombstone recording why the instance went away, giving the service {@code index}. */
    StoredInstance tombstone(String why, long index) {
        return new StoredInstance(service, id, address, port, metadata, tags, zone, version, weight, registeredAt,
                lastRenewedAt, leaseDuration, evictAfter, reported, override, checkPassing, stale, ejected, status,
                reason, since, inflight, checkType, checkTarget, checkInterval, checkTimeout, checkFailures,
                checkSuccesses, attributes, updatedAt, revision + 1, why, index);
    }

    static String key(ServiceName service, String id) {
        return service.value() + "/" + id;
    }

    private static String name(InstanceStatus status) {
        return status == null ? null : status.name();
    }

    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
