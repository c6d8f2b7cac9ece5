package io.beacon.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One registered instance: an immutable value. A new registration is built with {@link #builder};
 * changes produce new values ({@code with...}, {@link #renewed}, {@link #reregister}).
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

    /**
     * A new registration of {@code id} in {@code service} at {@code address:port}; a null id becomes
     * {@code address:port}. Everything else has a default (no metadata, tags, zone, version or check;
     * weight 100; reported UP) except the lease, which {@link Builder#lease} must set.
     */
    public static Builder builder(ServiceName service, String id, String address, int port) {
        return new Builder(service, idOf(id, address, port), address, port);
    }

    /** The id of an instance registered with {@code id} at {@code address:port}: {@code address:port} when null. */
    public static String idOf(String id, String address, int port) {
        return id == null ? address + ":" + port : id;
    }

    public Instance withLease(Lease value) {
        return copy(value, state, inflight, metadata, attributes, updatedAt);
    }

    public Instance withState(InstanceState value) {
        return value == state ? this : copy(lease, value, inflight, metadata, attributes, updatedAt);
    }

    public Instance withInflight(int value) {
        return copy(lease, state, value, metadata, attributes, updatedAt);
    }

    public Instance withMetadata(Map<String, String> value, Instant now) {
        return copy(lease, state, inflight, value, attributes, now);
    }

    /** This instance with an operator's weight: a change of its description, as a re-registration would be. */
    public Instance withWeight(int value, Instant now) {
        return value == weight ? this : new Instance(service, id, address, port, metadata, tags, zone, version, value,
                lease, state, inflight, check, attributes, now);
    }

    public Instance withAttributes(Map<String, String> value, Instant now) {
        return copy(lease, state, inflight, metadata, value, now);
    }

    /** The one copy path of the withers: this description with the given changing parts. */
    private Instance copy(Lease lease, InstanceState state, int inflight, Map<String, String> metadata,
            Map<String, String> attributes, Instant updatedAt) {
        return new Instance(service, id, address, port, metadata, tags, zone, version, weight, lease, state,
                inflight, check, attributes, updatedAt);
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
        if (!update.service.equals(service) || !update.id.equals(id)) {
            throw new IllegalArgumentException("a re-registration must keep the instance's service and id");
        }
        Lease renewed = new Lease(lease.registeredAt(), now, update.lease.duration(), update.lease.evictAfter());
        Boolean verdict = Objects.equals(check, update.check) ? state.checkPassing() : null;
        InstanceState next = state.withReported(update.state.reported(), now).withStale(false, now)
                .withCheckPassing(verdict, now);
        boolean described = Objects.equals(address, update.address) && port == update.port
                && metadata.equals(update.metadata) && tags.equals(update.tags) && Objects.equals(zone, update.zone)
                && Objects.equals(version, update.version) && weight == update.weight
                && Objects.equals(check, update.check) && attributes.equals(update.attributes);
        // update has this instance's service and id: its description, with this instance's history
        return update.copy(renewed, next, inflight, update.metadata, update.attributes, described ? updatedAt : now);
    }

    /** Equal in everything a watcher sees: description and state, ignoring lease renewals and load. */
    public boolean sameAs(Instance other) {
        if (other == null) {
            return false;
        }
        Lease aligned = new Lease(lease.registeredAt(), other.lease.lastRenewedAt(), lease.duration(), lease.evictAfter());
        return withLease(aligned).withInflight(other.inflight).equals(other);
    }

    /**
     * Builds the {@link Instance} of a new registration ({@link Instance#builder}): its lease starts,
     * and it is registered and described, at the instant given to {@link #build}.
     */
    public static final class Builder {

        private final ServiceName service;
        private final String id;
        private final String address;
        private final int port;
        private Map<String, String> metadata = Map.of();
        private List<String> tags = List.of();
        private String zone;
        private String version;
        private int weight = 100;
        private CheckSpec check;
        private Map<String, String> attributes = Map.of();
        private InstanceStatus reported = InstanceStatus.UP;
        private InstanceStatus override;
        private Duration leaseDuration;
        private Duration evictAfter;

        private Builder(ServiceName service, String id, String address, int port) {
            this.service = service;
            this.id = id;
            this.address = address;
            this.port = port;
        }

        /** Null means none. */
        public Builder metadata(Map<String, String> value) {
            metadata = value;
            return this;
        }

        /** Null means none. */
        public Builder tags(List<String> value) {
            tags = value;
            return this;
        }

        public Builder zone(String value) {
            zone = value;
            return this;
        }

        public Builder version(String value) {
            version = value;
            return this;
        }

        public Builder weight(int value) {
            weight = value;
            return this;
        }

        public Builder check(CheckSpec value) {
            check = value;
            return this;
        }

        /** Protocol-specific attributes (see {@link Instance#attributes()}); null means none. */
        public Builder attributes(Map<String, String> value) {
            attributes = value;
            return this;
        }

        /** The status the instance reports for itself (Eureka clients register STARTING, for example). */
        public Builder reported(InstanceStatus value) {
            reported = Objects.requireNonNull(value, "reported");
            return this;
        }

        /** An operator override the registration carries (Eureka's {@code overriddenStatus}), or null. */
        public Builder override(InstanceStatus value) {
            override = value;
            return this;
        }

        /** Required: how long the lease stays current without a heartbeat, and when the instance is evicted. */
        public Builder lease(Duration duration, Duration evictAfter) {
            this.leaseDuration = duration;
            this.evictAfter = evictAfter;
            return this;
        }

        /** The instance as registered at {@code now}: a fresh lease, the initial state, no reported load. */
        public Instance build(Instant now) {
            Objects.requireNonNull(leaseDuration, "lease");
            InstanceState state = InstanceState.initial(reported, now);
            if (override != null) {
                state = state.withOverride(override, now);
            }
            return new Instance(service, id, address, port, metadata, tags, zone, version, weight,
                    Lease.start(now, leaseDuration, evictAfter), state, 0, check, attributes, now);
        }
    }
}
