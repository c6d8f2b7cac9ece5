package io.beacon.xds;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An incremental (delta) ADS stream. Per type it keeps the names subscribed (or wildcard), the version of each
 * resource the client has (from {@code initial_resource_versions} on reconnect, then from what was sent) and the
 * versions it rejected. A push carries only the resources whose version differs from both, and names in
 * {@code removed_resources} the ones the client has that no longer exist. A request that leaves the subscription
 * as it was (an ACK or NACK) sends nothing: every change since is pushed by the hub. A NACK (an {@code error_detail}
 * on the last response's nonce) is logged and counted, and the rejected versions are not sent again until the
 * resource changes.
 */
final class DeltaStream extends XdsStream<DeltaDiscoveryResponse, DeltaStream.TypeState>
        implements StreamObserver<DeltaDiscoveryRequest> {

    /** A resource in the last response: the version sent and the one the client had before (null: none). */
    private record Sent(String version, String before) {
    }

    /** One type's subscription and what the client holds. */
    static final class TypeState extends Subscription {
        final Set<String> names = new LinkedHashSet<>();
        final Map<String, String> has = new HashMap<>();
        final Map<String, String> rejected = new HashMap<>();
        String nonce = "";
        Map<String, Sent> lastSent = Map.of();

        @Override
        Set<String> names() {
            return names;
        }
    }

    DeltaStream(XdsHub hub, ServerCallStreamObserver<DeltaDiscoveryResponse> responses) {
        super(hub, responses);
    }

    @Override
    public synchronized void onNext(DeltaDiscoveryRequest request) {
        ResourceType type = requested(request.getNode(), request.getTypeUrl());
        if (type == null) {
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
            answered(type, state, request);
        }
        boolean subscription = first;
        for (String name : request.getResourceNamesSubscribeList()) {
            if (name.equals("*") && type.wildcardable()) {
                subscription |= !state.wildcard;
                state.wildcard = true;
            } else {
                subscription |= state.names.add(name);
            }
        }
        for (String name : request.getResourceNamesUnsubscribeList()) {
            if (name.equals("*")) {
                subscription |= state.wildcard;
                state.wildcard = false;
            } else {
                subscription |= state.names.remove(name);
                state.has.remove(name);
                state.rejected.remove(name);
            }
        }
        if (!subscription) {
            return; // an ACK or NACK of the same subscription: every change since is pushed by the hub
        }
        watchAll();
        push(type, state);
    }

    /**
     * An ACK or NACK of the last response. A NACK marks its versions rejected, and the client keeps what it had
     * before them (so a later removal of such a resource is still sent); an ACK ends those rejections.
     */
    private void answered(ResourceType type, TypeState state, DeltaDiscoveryRequest request) {
        if (request.hasErrorDetail()) {
            hub.rejected(nodeId(), type, state.lastSent.values().stream().map(Sent::version)
                    .collect(Collectors.joining(",")), request.getErrorDetail().getMessage());
            state.lastSent.forEach((name, sent) -> {
                state.rejected.put(name, sent.version());
                if (sent.before() == null) {
                    state.has.remove(name);
                } else {
                    state.has.put(name, sent.before());
                }
            });
        } else {
            state.lastSent.keySet().forEach(state.rejected::remove);
        }
        state.lastSent = Map.of();
    }

    @Override
    protected void push(ResourceType type, TypeState state) {
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
        Map<String, Sent> sent = new HashMap<>();
        for (XdsCatalog.Built b : changed) {
            response.addResources(Resource.newBuilder().setName(b.name()).setVersion(b.version()).setResource(b.resource()));
            sent.put(b.name(), new Sent(b.version(), state.has.put(b.name(), b.version())));
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
