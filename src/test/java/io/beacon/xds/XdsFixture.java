package io.beacon.xds;

import io.beacon.balance.BalanceProperties;
import io.beacon.balance.LoadBalancer;
import io.beacon.outlier.OutlierProperties;
import io.beacon.policy.PolicyChanged;
import io.beacon.policy.PolicyStore;
import io.beacon.registry.InMemoryRegistry;
import io.beacon.registry.Instance;
import io.beacon.registry.RegistryListener;
import io.beacon.registry.ServiceName;
import io.beacon.support.MutableClock;
import io.beacon.support.TestInstances;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Beacon's xDS server without Spring: an in-memory registry, the policy store and balancer, the catalog and hub,
 * served in-process (pushes on the caller's thread, so a registry write has pushed when it returns), and raw
 * ADS client streams that collect their responses.
 */
final class XdsFixture implements AutoCloseable {

    private static final AtomicInteger NAMES = new AtomicInteger();

    final MutableClock clock = new MutableClock();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private XdsHub hubRef;
    final InMemoryRegistry registry = new InMemoryRegistry((RegistryListener) e -> hubRef.on(e));
    final PolicyStore policies = new PolicyStore(event -> {
        if (event instanceof PolicyChanged changed) {
            hubRef.onPolicyChanged(changed);
        }
    });
    final XdsCatalog catalog;
    final XdsHub hub;
    private final Server server;
    private final ManagedChannel channel;
    private Server netty;

    XdsFixture() {
        this(Runnable::run);
    }

    /** @param pushes where pushes run (the caller's thread by default) */
    XdsFixture(java.util.concurrent.Executor pushes) {
        LoadBalancer balancer = new LoadBalancer(policies, registry, new BalanceProperties("round_robin", 160, 256));
        OutlierProperties outlier = new OutlierProperties(true, 5, 50, 20, Duration.ofSeconds(30),
                Duration.ofMinutes(5), 10, 50, 3, Duration.ofSeconds(1));
        catalog = new XdsCatalog(registry, policies, balancer, outlier, new XdsMapping("version", "x-hash-key"));
        hub = new XdsHub(catalog, registry, pushes, 2, new XdsMetrics(meters));
        hubRef = hub;
        String name = "xds-" + NAMES.incrementAndGet();
        try {
            server = InProcessServerBuilder.forName(name).directExecutor().addService(new AdsService(hub)).build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    /** Also serves on a loopback port, for real gRPC clients; returns the port. */
    int listen() {
        try {
            netty = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
                    .forAddress(new java.net.InetSocketAddress("127.0.0.1", 0)).addService(new AdsService(hub)).build()
                    .start();
            return netty.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Instance register(String service, String id, int port, String version) {
        return registry.register(Instance.builder(ServiceName.of(service), id, "127.0.0.1", port)
                .lease(TestInstances.LEASE, TestInstances.EVICT_AFTER).version(version).build(clock.instant()),
                clock.instant()).instance();
    }

    ServiceName name(String service) {
        return ServiceName.of(service);
    }

    double count(String meter) {
        return meters.find(meter).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    SotwClient sotw(String nodeId, String userAgent) {
        return new SotwClient(channel, Node.newBuilder().setId(nodeId).setUserAgentName(userAgent).build());
    }

    DeltaClient delta(String nodeId) {
        return new DeltaClient(channel, Node.newBuilder().setId(nodeId).setUserAgentName("envoy").build());
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        if (netty != null) {
            netty.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** A raw state-of-the-world ADS stream. */
    static final class SotwClient implements StreamObserver<DiscoveryResponse> {
        final BlockingQueue<DiscoveryResponse> received = new LinkedBlockingQueue<>();
        final Node node;
        final StreamObserver<DiscoveryRequest> requests;
        volatile boolean closed;

        SotwClient(ManagedChannel channel, Node node) {
            this.node = node;
            this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(this);
        }

        void send(DiscoveryRequest.Builder request) {
            requests.onNext(request.setNode(node).build());
        }

        DiscoveryResponse next() throws InterruptedException {
            DiscoveryResponse r = received.poll(5, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("no response within 5 s");
            }
            return r;
        }

        @Override
        public void onNext(DiscoveryResponse value) {
            received.add(value);
        }

        @Override
        public void onError(Throwable t) {
            closed = true;
        }

        @Override
        public void onCompleted() {
            closed = true;
        }
    }

    /** A raw delta ADS stream. */
    static final class DeltaClient implements StreamObserver<DeltaDiscoveryResponse> {
        final BlockingQueue<DeltaDiscoveryResponse> received = new LinkedBlockingQueue<>();
        final Node node;
        final StreamObserver<DeltaDiscoveryRequest> requests;

        DeltaClient(ManagedChannel channel, Node node) {
            this.node = node;
            this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(this);
        }

        void send(DeltaDiscoveryRequest.Builder request) {
            requests.onNext(request.setNode(node).build());
        }

        DeltaDiscoveryResponse next() throws InterruptedException {
            DeltaDiscoveryResponse r = received.poll(5, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("no response within 5 s");
            }
            return r;
        }

        @Override
        public void onNext(DeltaDiscoveryResponse value) {
            received.add(value);
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
