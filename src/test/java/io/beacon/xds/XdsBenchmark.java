package io.beacon.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The xDS figures of docs/performance.md (run by bench/xds.sh, not by the test suites: its name ends in
 * neither Test nor IT). Beacon's xDS server on a loopback port with its push threads, and raw ADS client
 * streams in the same JVM, over a few connections:
 * <ol>
 *   <li>propagation: {@code STREAMS} streams subscribed to one service's endpoints; each registration's time
 *       until every stream has received the ClusterLoadAssignment holding it (per stream: p50, p99, max);</li>
 *   <li>{@code IDLE} idle streams (each subscribed to a service of its own): heap per stream (both ends of the
 *       stream are in this JVM, so an upper bound for the server), and registration throughput into the
 *       registry with and without them.</li>
 * </ol>
 * Every loop is bounded; the sizes come from environment variables (STREAMS, ROUNDS, IDLE, REGISTRATIONS,
 * CONNECTIONS).
 */
class XdsBenchmark {

    static final int STREAMS = size("STREAMS", 1000);
    static final int ROUNDS = size("ROUNDS", 30);
    static final int IDLE = size("IDLE", 10_000);
    static final int REGISTRATIONS = size("REGISTRATIONS", 20_000);
    static final int CONNECTIONS = size("CONNECTIONS", 10);

    /** A size from the environment (bench/xds.sh sets them), or its default. */
    static int size(String variable, int fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    /** When a push thread last finished a push (all of a round's pushes have run once the round is received). */
    static volatile long lastPushDone;

    @Test
    void run() throws Exception {
        ThreadPoolExecutor pushes = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>()) {
            @Override
            protected void afterExecute(Runnable task, Throwable failure) {
                lastPushDone = System.nanoTime();
            }
        };
        try (XdsFixture xds = new XdsFixture(pushes)) {
            int port = xds.listen();
            List<ManagedChannel> channels = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                channels.add(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
            }
            propagation(xds, channels);
            idle(xds, channels);
            channels.forEach(ManagedChannel::shutdownNow);
        } finally {
            pushes.shutdownNow();
        }
    }

    /** One subscribed stream: ACKs every response and notes when a CLA with {@code expected} endpoints arrives. */
    static final class Subscriber implements StreamObserver<DiscoveryResponse> {
        final StreamObserver<DiscoveryRequest> requests;
        final String service;
        volatile int expected = -1;
        volatile long arrivedAt;
        volatile CountDownLatch done;

        Subscriber(ManagedChannel channel, String service, String node) {
            this.service = service;
            this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(this);
            requests.onNext(DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId(node)
                    .setUserAgentName("gRPC Java")).setTypeUrl(ResourceType.ENDPOINT.typeUrl())
                    .addResourceNames(service).build());
        }

        @Override
        public void onNext(DiscoveryResponse response) {
            int endpoints = 0;
            try {
                ClusterLoadAssignment cla = response.getResources(0).unpack(ClusterLoadAssignment.class);
                endpoints = cla.getEndpointsList().stream().mapToInt(l -> l.getLbEndpointsCount()).sum();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            synchronized (this) {
                requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl()).addResourceNames(service)
                        .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce()).build());
            }
            if (endpoints == expected && done != null) {
                arrivedAt = System.nanoTime();
                done.countDown();
            }
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }

    private void propagation(XdsFixture xds, List<ManagedChannel> channels) throws Exception {
        List<Subscriber> subscribers = new ArrayList<>();
        CountDownLatch initial = new CountDownLatch(STREAMS);
        for (int s = 0; s < STREAMS; s++) {
            Subscriber sub = new Subscriber(channels.get(s % channels.size()), "bench", "bench-" + s);
            sub.expected = 0;
            sub.done = initial;
            subscribers.add(sub);
        }
        await(initial, "initial responses");
        long[] all = new long[STREAMS * ROUNDS];
        long[] lastPerRound = new long[ROUNDS];
        long[] pushedPerRound = new long[ROUNDS];
        int warmUp = Math.max(5, ROUNDS / 3);
        for (int r = -warmUp; r < ROUNDS; r++) {
            CountDownLatch done = new CountDownLatch(STREAMS);
            for (Subscriber sub : subscribers) {
                sub.expected = r + warmUp + 1;
                sub.done = done;
            }
            long start = System.nanoTime();
            xds.register("bench", "i-" + r, 10_000 + r, null);
            await(done, "round " + r);
            if (r < 0) {
                continue; // warm-up round
            }
            long last = 0;
            for (int s = 0; s < STREAMS; s++) {
                long took = subscribers.get(s).arrivedAt - start;
                all[r * STREAMS + s] = took;
                last = Math.max(last, took);
            }
            lastPerRound[r] = last;
            pushedPerRound[r] = lastPushDone - start;
        }
        Arrays.sort(all);
        Arrays.sort(lastPerRound);
        Arrays.sort(pushedPerRound);
        System.out.printf("XDS propagation streams=%d rounds=%d per-stream p50=%.2fms p99=%.2fms max=%.2fms; "
                + "last stream per registration p50=%.2fms max=%.2fms; server's last push sent p50=%.2fms max=%.2fms%n",
                STREAMS, ROUNDS, ms(all, 0.50), ms(all, 0.99), all[all.length - 1] / 1e6, ms(lastPerRound, 0.50),
                lastPerRound[ROUNDS - 1] / 1e6, ms(pushedPerRound, 0.50), pushedPerRound[ROUNDS - 1] / 1e6);
        subscribers.forEach(s -> s.requests.onCompleted());
    }

    private void idle(XdsFixture xds, List<ManagedChannel> channels) throws Exception {
        double without = registrations(xds, "plain");
        long before = heapAfterGc();
        CountDownLatch initial = new CountDownLatch(IDLE);
        List<Subscriber> idle = new ArrayList<>();
        for (int s = 0; s < IDLE; s++) {
            Subscriber sub = new Subscriber(channels.get(s % channels.size()), "idle-" + s, "idle-" + s);
            sub.expected = 0;
            sub.done = initial;
            idle.add(sub);
        }
        await(initial, "idle streams");
        long after = heapAfterGc();
        int open = xds.hub.streams();
        double with = registrations(xds, "loaded");
        System.out.printf("XDS idle streams=%d open=%d heap per stream=%.1f KiB (both ends); registrations/s "
                + "without=%.0f with=%.0f (%d each)%n", IDLE, open, (after - before) / 1024.0 / IDLE, without, with,
                REGISTRATIONS);
        idle.forEach(s -> s.requests.onCompleted());
    }

    private static double registrations(XdsFixture xds, String prefix) {
        for (int n = 0; n < 2000; n++) { // warm-up
            xds.register(prefix + "-warm-" + (n % 100), "w" + n, 20_000 + n, null);
        }
        long start = System.nanoTime();
        for (int n = 0; n < REGISTRATIONS; n++) {
            xds.register(prefix + "-" + (n % 1000), "i" + n, 30_000 + (n % 30_000), null);
        }
        return REGISTRATIONS / ((System.nanoTime() - start) / 1e9);
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(Duration.ofMinutes(2).toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(what + ": " + latch.getCount() + " streams did not receive it in 2 minutes");
        }
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
