package io.beacon.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.beacon.balance.LoadBalancer;
import io.beacon.balance.Strategy;
import io.beacon.outlier.OutlierProperties;
import io.beacon.outlier.OutlierSettings;
import io.beacon.policy.PolicyStore;
import io.beacon.policy.ServicePolicy;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resources Beacon serves, built on demand from the registry (its snapshot and index), the policy store
 * and the balancer's strategy choice, through {@link XdsMapping}; nothing is copied from the registry but
 * the last built resource, reused while the service's index, its policy and the client kind are the same.
 * A resource's version is a hash of its content, so every cluster member serves equal resources under equal
 * versions and a client reconnecting with known versions is not sent them again.
 */
final class XdsCatalog {

    /** Most built resources kept; beyond it the cache starts afresh (names are chosen by clients). */
    static final int MAX_CACHED = 50_000;

    /**
     * One resource as served: the requested name, the packed message (serialised once, shared by every stream
     * it is sent to) and its version. It also remembers the version of a response holding it alone, the common
     * state-of-the-world case, so the streams subscribed to it do not each hash that again.
     */
    static final class Built {
        private final String name;
        private final Any resource;
        private final String version;
        private volatile String alone;

        Built(String name, Any resource, String version) {
            this.name = name;
            this.resource = resource;
            this.version = version;
        }

        String name() {
            return name;
        }

        Any resource() {
            return resource;
        }

        String version() {
            return version;
        }

        /** {@code versionOf(List.of(this), List.of())}, computed once. */
        String aloneVersion() {
            String v = alone;
            if (v == null) {
                v = versionText(List.of(this), List.of());
                alone = v;
            }
            return v;
        }
    }

    private record Key(ResourceType type, String name, ClientKind kind) {
    }

    private record Entry(ResourceName name, long index, ServicePolicy policy, Optional<Built> built) {
    }

    private final Registry registry;
    private final PolicyStore policies;
    private final LoadBalancer balancer;
    private final OutlierProperties outlier;
    private final XdsMapping mapping;
    private final Map<Key, Entry> cache = new ConcurrentHashMap<>();

    /** @param outlier the outlier defaults, or null when outlier detection is off (clusters then carry none) */
    XdsCatalog(Registry registry, PolicyStore policies, LoadBalancer balancer, OutlierProperties outlier,
            XdsMapping mapping) {
        this.registry = registry;
        this.policies = policies;
        this.balancer = balancer;
        this.outlier = outlier;
        this.mapping = mapping;
    }

    /** The resource of this type and requested name, or empty when it does not exist. */
    Optional<Built> resolve(ResourceType type, String requested, ClientKind kind) {
        Key key = new Key(type, requested, kind);
        Entry entry = cache.get(key);
        ResourceName name;
        if (entry != null) {
            name = entry.name; // parsed when first built: the hit path neither parses nor validates again
        } else {
            Optional<ResourceName> parsed = ResourceName.parse(requested);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            name = parsed.get();
        }
        if ((type == ResourceType.LISTENER || type == ResourceType.ROUTE) && name.version() != null) {
            return Optional.empty();
        }
        long index = registry.index(name.service());
        ServicePolicy policy = policies.get(name.service());
        if (entry != null && entry.index == index && entry.policy == policy) {
            return entry.built;
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        ServiceSnapshot snapshot = registry.service(name.service());
        Optional<Built> built = build(type, name, snapshot, policy, kind).map(m -> built(requested, m));
        cache.put(key, new Entry(name, snapshot.index(), policy, built));
        return built;
    }

    /** Every cluster: each service with instances, and its version subsets (a wildcard CDS subscription). */
    List<Built> allClusters(ClientKind kind) {
        List<Built> all = new ArrayList<>();
        for (ServiceSnapshot s : registry.services()) {
            resolve(ResourceType.CLUSTER, s.name().value(), kind).ifPresent(all::add);
            for (ServicePolicy.VersionWeight vw : XdsMapping.splitPresent(s, policies.get(s.name()))) {
                resolve(ResourceType.CLUSTER, ResourceName.cluster(s.name(), vw.version()), kind).ifPresent(all::add);
            }
        }
        return all;
    }

    /**
     * Builds (and drops) one resource of each type for a name no client asks for: loads Envoy's generated
     * classes and descriptors, which takes seconds on a busy machine, before the first client is waiting.
     */
    void warmUp() {
        String name = "beacon-xds-warm-up";
        for (ResourceType type : ResourceType.values()) {
            resolve(type, name, ClientKind.GRPC).ifPresent(b -> b.resource().toByteArray());
        }
        forget(ServiceName.of(name));
    }

    /** Forgets what was built for a service that has gone. */
    void forget(ServiceName service) {
        cache.keySet().removeIf(k -> ResourceName.parse(k.name()).map(n -> n.service().equals(service)).orElse(true));
    }

    private Optional<Message> build(ResourceType type, ResourceName name, ServiceSnapshot snapshot,
            ServicePolicy policy, ClientKind kind) {
        Strategy strategy = balancer.strategyFor(name.service(), null);
        boolean subsetExists = name.version() == null || XdsMapping.splitPresent(snapshot, policy).stream()
                .anyMatch(vw -> vw.version().equals(name.version()));
        return switch (type) {
            case LISTENER -> Optional.of(mapping.listener(name));
            case ROUTE -> Optional.of(mapping.route(name, snapshot, policy, strategy));
            case CLUSTER -> subsetExists ? Optional.of(mapping.cluster(name, strategy, outlierSettings(policy),
                    outlier == null ? null : outlier.sweepInterval(), kind)) : Optional.empty();
            case ENDPOINT -> subsetExists ? Optional.of(mapping.endpoints(name, snapshot, strategy)) : Optional.empty();
        };
    }

    private OutlierSettings outlierSettings(ServicePolicy policy) {
        return outlier == null ? null : OutlierSettings.resolve(outlier, policy);
    }

    private static Built built(String name, Message message) {
        Any any = Any.pack(message);
        return new Built(name, any, hash(any.toByteArray()));
    }

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    });

    /** A short content hash: the first 8 bytes of SHA-256, in hex. */
    static String hash(byte[] bytes) {
        byte[] digest = SHA_256.get().digest(bytes);
        return HexFormat.of().formatHex(digest, 0, 8);
    }

    /** The version of a set of resources: a hash of their names and versions, in the given order. */
    static String versionOf(List<Built> resources, List<String> absent) {
        if (resources.size() == 1 && absent.isEmpty()) {
            return resources.get(0).aloneVersion();
        }
        return versionText(resources, absent);
    }

    private static String versionText(List<Built> resources, List<String> absent) {
        StringBuilder text = new StringBuilder();
        resources.forEach(b -> text.append(b.name()).append('=').append(b.version()).append('\n'));
        absent.forEach(n -> text.append(n).append("=-\n"));
        return hash(text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
