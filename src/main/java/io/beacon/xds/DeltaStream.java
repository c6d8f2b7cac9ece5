package io.beacon.xds;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An incremental (delta) ADS stream. Per type it keeps the names subscribed (or wildcard), the version of each
 * resource the client has (from {@code initial_resource_versions} on reconnect, then from what was sent) and the
 * versions it rejected. A push carries only the resources whose version differs from both, and names in
 * {@code removed_resources} the ones the client has that no longer exist; a NACK (an {@code error_detail} on the
 * last response's nonce) is logged and counted, and the rejected versions are not sent again.
 */
final class DeltaStream extends XdsStream<DeltaDiscoveryResponse> implements StreamObserver<DeltaDiscoveryRequest> {

    /** One type's subscription and what the client holds. */
    private static final class TypeState {
        boolean wildcard;
        final Set<String> names = new LinkedHashSet<>();
        final Map<String, String> has = new HashMap<>();
        final Map<String, String> rejected = new HashMap<>();
        String nonce = "";
        Map<String, String> lastSent = Map.of();
    }

    private final Map<ResourceType, TypeState> types = new EnumMap<>(ResourceType.class);

    DeltaStream(XdsHub hub, ServerCallStreamObserver<DeltaDiscoveryResponse> responses) {
        super(hub, responses);
    }

    @Override
    public synchronized void onNext(DeltaDiscoveryRequest request) {
        node(request.getNode());
        ResourceType type = ResourceType.of(request.getTypeUrl()).orElse(null);
        if (type == null) {
            hub.unknownType(nodeId(), request.getTypeUrl());
            return;
        }
        TypeState state = types.get(type);
        boolean first = state == null;
        if (first) {
            state = new TypeState();
            types.put(type, state);
            state.has.putAll(request.getInitialResourceVersionsMap());
            state.wildcard = type.wildcardable() && request.getResourceNamesSubscribeCount() == 0;
        }
        if (!request.getResponseNonce().isEmpty() && request.getResponseNonce().equals(state.nonce)) {
            if (request.hasErrorDetail()) {
                hub.rejected(nodeId(), type, String.join(",", state.lastSent.values()),
                        request.getErrorDetail().getMessage());
                for (Map.Entry<String, String> sent : state.lastSent.entrySet()) {
                    state.rejected.put(sent.getKey(), sent.getValue());
                    state.has.remove(sent.getKey());
                }
            } else {
                state.lastSent.keySet().forEach(state.rejected::remove);
            }
            state.lastSent = Map.of();
        }
        for (String name : request.getResourceNamesSubscribeList()) {
            if (name.equals("*") && type.wildcardable()) {
                state.wildcard = true;
            } else {
                state.names.add(name);
            }
        }
        for (String name : request.getResourceNamesUnsubscribeList()) {
            if (name.equals("*")) {
                state.wildcard = false;
            } else {
                state.names.remove(name);
                state.has.remove(name);
                state.rejected.remove(name);
            }
        }
        watchAll();
        push(type, state);
    }

    private void watchAll() {
        List<String> names = new ArrayList<>();
        boolean everyCluster = false;
        for (Map.Entry<ResourceType, TypeState> e : types.entrySet()) {
            names.addAll(e.getValue().names);
            everyCluster |= e.getKey() == ResourceType.CLUSTER && e.getValue().wildcard;
        }
        watch(names, everyCluster);
    }

    @Override
    protected void pushAll() {
        types.forEach(this::push);
    }

    private void push(ResourceType type, TypeState state) {
        Map<String, XdsCatalog.Built> current = new HashMap<>();
        if (state.wildcard && type == ResourceType.CLUSTER) {
            hub.catalog().allClusters(kind()).forEach(b -> current.put(b.name(), b));
        }
        for (String name : state.names) {
            hub.catalog().resolve(type, name, kind()).ifPresent(b -> current.put(name, b));
        }
        List<XdsCatalog.Built> changed = new ArrayList<>();
        for (XdsCatalog.Built b : current.values()) {
            if (!b.version().equals(state.has.get(b.name())) && !b.version().equals(state.rejected.get(b.name()))) {
                changed.add(b);
            }
        }
        List<String> removed = state.has.keySet().stream().filter(n -> !current.containsKey(n)).sorted().toList();
        if ((changed.isEmpty() && removed.isEmpty()) || !canSend()) {
            return;
        }
        changed.sort(java.util.Comparator.comparing(XdsCatalog.Built::name));
        String nonce = nextNonce();
        DeltaDiscoveryResponse.Builder response = DeltaDiscoveryResponse.newBuilder().setTypeUrl(type.typeUrl())
                .setNonce(nonce).setSystemVersionInfo(XdsCatalog.versionOf(changed, removed)).addAllRemovedResources(removed);
        Map<String, String> sent = new HashMap<>();
        for (XdsCatalog.Built b : changed) {
            response.addResources(Resource.newBuilder().setName(b.name()).setVersion(b.version()).setResource(b.resource()));
            state.has.put(b.name(), b.version());
            sent.put(b.name(), b.version());
        }
        removed.forEach(state.has::remove);
        responses.onNext(response.build());
        state.nonce = nonce;
        state.lastSent = Map.copyOf(sent);
        hub.pushed(type);
    }

    @Override
    public void onError(Throwable t) {
        close();
    }

    @Override
    public void onCompleted() {
        complete();
    }
}
