package io.beacon.xds;

import io.beacon.registry.ServiceName;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One ADS stream (state of the world or delta): what its client subscribed to, and the pushes to it. Requests
 * arrive on gRPC's threads and pushes run on the xDS push threads; both hold the stream's monitor, so a stream
 * handles one thing at a time and its responses leave in order. A change to a subscribed service schedules one
 * push, coalesced with any other before it runs; a push to a client that is not ready to receive waits for it.
 *
 * @param <R> the response message type
 */
abstract class XdsStream<R> {

    protected final XdsHub hub;
    protected final ServerCallStreamObserver<R> responses;
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

    /** Remembers the node of the first request that carries one (later requests may omit it). */
    protected final void node(Node given) {
        if (node == null && given != null && !given.equals(Node.getDefaultInstance())) {
            node = given;
            kind = ClientKind.of(given);
        }
    }

    protected final String nextNonce() {
        return Long.toString(nonces.incrementAndGet());
    }

    /** Tells the hub which services (and whether every cluster) this stream now depends on. */
    protected final void watch(List<String> names, boolean everyCluster) {
        Set<ServiceName> now = new HashSet<>();
        for (String n : names) {
            ResourceName.parse(n).ifPresent(r -> now.add(r.service()));
        }
        if (!now.equals(watched) || everyCluster != wildcardClusters) {
            hub.watch(this, watched, now, wildcardClusters, everyCluster);
            watched = Set.copyOf(now);
            wildcardClusters = everyCluster;
        }
    }

    /** Asks for a push of every subscribed type; runs soon on a push thread, once for any number of calls. */
    final void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            if (!hub.execute(this::runScheduled)) {
                scheduled.set(false);
            }
        }
    }

    private void runScheduled() {
        scheduled.set(false);
        synchronized (this) {
            if (!closed) {
                pushAll();
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

    /** Pushes what changed for every type the client subscribed to. Holds the monitor. */
    protected abstract void pushAll();

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
