package io.beacon.xds;

import io.beacon.registry.ServiceName;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One ADS stream (state of the world or delta): what its client subscribed to, and the pushes to it. Requests
 * arrive on gRPC's threads and pushes run on the xDS push threads; both hold the stream's monitor, so a stream
 * handles one thing at a time and its responses leave in order. A change to a subscribed service schedules one
 * push, coalesced with any other before it runs; a push to a client that is not ready to receive waits for it.
 * Per resource type the stream keeps one {@link Subscription}; the variant decides what it holds and what a push
 * of it sends.
 *
 * @param <R> the response message type
 * @param <S> the per-type subscription state
 */
abstract class XdsStream<R, S extends XdsStream.Subscription> {

    /** One type's subscription: the names asked for, or (wildcard) every resource of a wildcardable type. */
    abstract static class Subscription {
        boolean wildcard;

        /** The resource names subscribed by name. */
        abstract Collection<String> names();
    }

    protected final XdsHub hub;
    protected final ServerCallStreamObserver<R> responses;
    /** The subscriptions by type, in push order; guarded by the stream's monitor. */
    protected final Map<ResourceType, S> types = new EnumMap<>(ResourceType.class);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong nonces = new AtomicLong();
    private Node node;
    private ClientKind kind = ClientKind.ENVOY;
    private Set<ServiceName> watched = Set.of();
    private boolean wildcardClusters;
    private boolean waitingForReady;
    private boolean closed;

    XdsStream(XdsHub hub, ServerCallStreamObserver<R> responses) {
        this.hub = hub;
        this.responses = responses;
        responses.setOnReadyHandler(this::ready);
        responses.setOnCancelHandler(this::close);
        hub.opened(this);
    }

    /** The client's node id, for logs. */
    final synchronized String nodeId() {
        return node == null ? "(no node)" : node.getId();
    }

    final synchronized ClientKind kind() {
        return kind;
    }

    /**
     * Notes a request's node (the first one that carries one: later requests may omit it) and returns the type it
     * asks for, or null (logged) when Beacon does not serve that type.
     */
    protected final ResourceType requested(Node given, String typeUrl) {
        if (node == null && given != null && !given.equals(Node.getDefaultInstance())) {
            node = given;
            kind = ClientKind.of(given);
        }
        ResourceType type = ResourceType.of(typeUrl).orElse(null);
        if (type == null) {
            hub.unknownType(nodeId(), typeUrl);
        }
        return type;
    }

    protected final String nextNonce() {
        return Long.toString(nonces.incrementAndGet());
    }

    /** Tells the hub which services (and whether every cluster) this stream's subscriptions now depend on. */
    protected final void watchAll() {
        Set<ServiceName> now = new HashSet<>();
        boolean everyCluster = false;
        for (Map.Entry<ResourceType, S> e : types.entrySet()) {
            for (String n : e.getValue().names()) {
                ResourceName.parse(n).ifPresent(r -> now.add(r.service()));
            }
            everyCluster |= e.getKey() == ResourceType.CLUSTER && e.getValue().wildcard;
        }
        if (!now.equals(watched) || everyCluster != wildcardClusters) {
            hub.watch(this, watched, now, wildcardClusters, everyCluster);
            watched = Set.copyOf(now);
            wildcardClusters = everyCluster;
        }
    }

    /** Asks for a push of every subscribed type; runs soon on a push thread, once for any number of calls. */
    final void schedule() {
        if (claim() && !hub.execute(this::runScheduled)) {
            unclaim();
        }
    }

    /**
     * Marks a push as scheduled; true when none was, and the caller must then run {@link #runScheduled} (or
     * {@link #unclaim}). The hub claims the streams of one change and runs their pushes in a few tasks.
     */
    final boolean claim() {
        return scheduled.compareAndSet(false, true);
    }

    /** Gives up a claim whose push could not be run (the next change schedules it again). */
    final void unclaim() {
        scheduled.set(false);
    }

    /** Runs a claimed push: every subscribed type, unless the stream has closed. */
    final void runScheduled() {
        scheduled.set(false);
        synchronized (this) {
            if (!closed) {
                types.forEach(this::push);
            }
        }
    }

    /** True when a response may be sent now; otherwise the push is repeated once the client is ready. */
    protected final boolean canSend() {
        if (responses.isReady()) {
            return true;
        }
        waitingForReady = true;
        return false;
    }

    private void ready() {
        boolean again;
        synchronized (this) {
            again = waitingForReady;
            waitingForReady = false;
        }
        if (again) {
            schedule();
        }
    }

    /** Pushes what changed for one subscribed type, if the client may receive it now. Holds the monitor. */
    protected abstract void push(ResourceType type, S state);

    /** Ends the stream's subscriptions (the client went away, or the stream failed). */
    final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        hub.closed(this, watched, wildcardClusters);
    }

    /** Completes the response side after the client half-closed. */
    protected final void complete() {
        close();
        try {
            responses.onCompleted();
        } catch (IllegalStateException alreadyClosed) {
            // cancelled meanwhile: nothing left to complete
        }
    }

    protected final synchronized boolean isClosed() {
        return closed;
    }
}
