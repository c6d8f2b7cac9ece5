package io.beacon.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One registered instance: an immutable value. Changes produce new values ({@code with...}).
 *
 * @param service the service it belongs to
 * @param id its id, unique within the service ({@code address:port} when the client gave none)
 * @param address IP literal or host name
 * @param port 1..65535
 * @param metadata free-form string map
 * @param tags free-form labels
 * @param zone availability zone, or null
 * @param version the version it runs, or null
 * @param weight relative weight for weighted balancing (1..1000)
 * @param lease its lease
 * @param state health from every source and the effective status
 * @param inflight in-flight requests last reported with a heartbeat (least-connections balancing)
 * @param check its active health check, or null
 * @param attributes protocol-specific attributes kept for round-tripping (for example Eureka's
 *     homePageUrl), keyed with a protocol prefix; not part of the native API
 * @param updatedAt when the instance's registration last changed (not its heartbeats)
 */
public record Instance(ServiceName service, String id, String address, int port,
        Map<String, String> metadata, List<String> tags, String zone, String version, int weight,
        Lease lease, InstanceState state, int inflight, CheckSpec check, Map<String, String> attributes,
        Instant updatedAt) {

    public Instance {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        tags = tags == null ? List.of() : List.copyOf(tags);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public InstanceKey key() {
        return new InstanceKey(service, id);
    }

    public InstanceStatus status() {
        return state.status();
    }

    public Instance withLease(Lease value) {
        return new Instance(service, id, address, port, metadata, tags, zone, version, weight, value, state,
                inflight, check, attributes, updatedAt);
    }

    public Instance withState(InstanceState value) {
        if (value == state) {
            return this;
        }
        return new Instance(service, id, address, port, metadata, tags, zone, version, weight, lease, value,
                inflight, check, attributes, updatedAt);
    }

    public Instance withInflight(int value) {
        return new Instance(service, id, address, port, metadata, tags, zone, version, weight, lease, state,
                value, check, attributes, updatedAt);
    }

    public Instance withMetadata(Map<String, String> value, Instant now) {
        return new Instance(service, id, address, port, value, tags, zone, version, weight, lease, state,
                inflight, check, attributes, now);
    }

    public Instance withAttributes(Map<String, String> value, Instant now) {
        return new Instance(service, id, address, port, metadata, tags, zone, version, weight, lease, state,
                inflight, check, value, now);
    }

    /**
     * This instance after a heartbeat at {@code now}: the lease renewed, the reported in-flight count
     * taken when given, and no longer STALE (a STALE instance that heartbeats is back).
     */
    public Instance renewed(Instant now, OptionalInt reportedInflight) {
        Instance next = withLease(lease.renew(now));
        if (reportedInflight.isPresent()) {
            next = next.withInflight(reportedInflight.getAsInt());
        }
        return state.stale() ? next.withState(next.state.withStale(false, now)) : next;
    }

    /**
     * This instance re-registered with the description in {@code update}: the new description and lease
     * duration, the original registration time, a lease renewed now, and the operator override and
     * check verdict kept (a re-registration does not undo a drain).
     */
    public Instance reregister(Instance update, Instant now) {
        Lease renewed = new Lease(lease.registeredAt(), now, update.lease.duration(), update.lease.evictAfter());
        Boolean verdict = Objects.equals(check, update.check) ? state.checkPassing() : null;
        InstanceState next = state.withReported(update.state.reported(), now).withStale(false, now)
                .withCheckPassing(verdict, now);
        boolean described = Objects.equals(address, update.address) && port == update.port
                && metadata.equals(update.metadata) && tags.equals(update.tags) && Objects.equals(zone, update.zone)
                && Objects.equals(version, update.version) && weight == update.weight
                && Objects.equals(check, update.check) && attributes.equals(update.attributes);
        return new Instance(service, id, update.address, update.port, update.metadata, update.tags, update.zone,
                update.version, update.weight, renewed, next, inflight, update.check, update.attributes,
                described ? updatedAt : now);
    }

    /** Equal in everything a watcher sees: description and state, ignoring lease renewals and load. */
    public boolean sameAs(Instance other) {
        if (other == null) {
            return false;
        }
        Lease aligned = new Lease(lease.registeredAt(), other.lease.lastRenewedAt(), lease.duration(), lease.evictAfter());
        return withLease(aligned).withInflight(other.inflight).equals(other);
    }
}
