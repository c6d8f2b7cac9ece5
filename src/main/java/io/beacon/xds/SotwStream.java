package io.beacon.xds;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A state-of-the-world ADS stream. Per type it keeps the names subscribed (or wildcard), the version and
 * nonce last sent and the version last rejected. A response carries every subscribed resource that exists,
 * under one version (a hash of their names and versions, so equal content has an equal version on every
 * member); it is sent only when that version differs from the one the client has (sent to it, or named by it
 * when it reconnects) and from the one it rejected. A request with an outdated nonce acknowledges nothing, but its
 * resource names are taken (gRPC changes its subscription without waiting for the previous response); a NACK is
 * logged and counted, and the rejected version is not sent again.
 */
final class SotwStream extends XdsStream<DiscoveryResponse, SotwStream.TypeState>
        implements StreamObserver<DiscoveryRequest> {

    /** One type's subscription and what was sent for it. */
    static final class TypeState extends Subscription {
        List<String> names = List.of();
        String sent = "";
        String nonce = "";
        String rejected;

        @Override
        List<String> names() {
            return names;
        }
    }

    SotwStream(XdsHub hub, ServerCallStreamObserver<DiscoveryResponse> responses) {
        super(hub, responses);
    }

    @Override
    public synchronized void onNext(DiscoveryRequest request) {
        ResourceType type = requested(request.getNode(), request.getTypeUrl());
        if (type == null) {
            return;
        }
        TypeState state = types.get(type);
        boolean first = state == null;
        if (first) {
            state = new TypeState();
            types.put(type, state);
            state.sent = request.getVersionInfo(); // a reconnecting client names the version it has
        }
        // a request answering an older response is no ACK or NACK of the latest one, but its names still count
        // (gRPC sends a changed subscription without waiting for the response to the previous one)
        boolean current = first || request.getResponseNonce().equals(state.nonce);
        if (current && request.hasErrorDetail()) {
            hub.rejected(nodeId(), type, state.sent, request.getErrorDetail().getMessage());
            state.rejected = state.sent;
            state.sent = request.getVersionInfo();
        } else if (current && !first) {
            state.rejected = null;
        }
        List<String> names = request.getResourceNamesList();
        boolean wildcard = type.wildcardable() && (names.contains("*") || (names.isEmpty() && (first || state.wildcard)));
        List<String> subscribed = wildcard ? List.of() : List.copyOf(new LinkedHashSet<>(names));
        if (!first && wildcard == state.wildcard && subscribed.equals(state.names)) {
            return; // an ACK or NACK of the same subscription: every change since is pushed by the hub
        }
        state.wildcard = wildcard;
        state.names = subscribed;
        watchAll();
        push(type, state);
    }

    @Override
    protected void push(ResourceType type, TypeState state) {
        List<XdsCatalog.Built> resources = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        if (state.wildcard) {
            if (type == ResourceType.CLUSTER) {
                resources.addAll(hub.catalog().allClusters(kind()));
            }
        } else {
            for (String name : state.names) {
                hub.catalog().resolve(type, name, kind()).ifPresentOrElse(resources::add, () -> absent.add(name));
            }
        }
        String version = XdsCatalog.versionOf(resources, absent);
        if (version.equals(state.sent) || version.equals(state.rejected) || !canSend()) {
            return;
        }
        String nonce = nextNonce();
        DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder().setTypeUrl(type.typeUrl())
                .setVersionInfo(version).setNonce(nonce);
        resources.forEach(b -> response.addResources(b.resource()));
        responses.onNext(response.build());
        state.sent = version;
        state.nonce = nonce;
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
