package io.beacon.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * The client side of bench/xds.sh, in a process of its own next to a running Beacon (xDS on): the ADS streams,
 * the registrations that change what they receive, and the clock that times both.
 * <ol>
 *   <li>propagation: {@code STREAMS} state-of-the-world streams (over {@code CONNECTIONS} channels) subscribed to
 *       one service's ClusterLoadAssignment, every response ACKed; {@code ROUNDS} registrations over Beacon's
 *       HTTP API, {@code SPACING_MS} apart, each timed from just before its request is sent to the arrival, on
 *       each stream, of the ClusterLoadAssignment that follows it (checked, after the round, to hold the new
 *       endpoint). One process sends and receives, so one clock ({@code System.nanoTime}) times both ends;</li>
 *   <li>idle streams: registrations per second over HTTP ({@code WRITERS} concurrent writers, {@code
 *       REGISTRATIONS} each measure) without and then with {@code IDLE} idle streams open (each subscribed to a
 *       service of its own), and Beacon's heap after a full GC (through {@code jcmd}, the server's pid in
 *       {@code REGISTRY_PID}) before and after opening them: the server's heap per stream.</li>
 * </ol>
 * Every loop is bounded; a phase that does not complete within 2 minutes fails the run. Prints lines starting
 * with {@code XDS }.
 */
final class XdsBenchClient {

    static final int STREAMS = size("STREAMS", 1000);
    static final int ROUNDS = size("ROUNDS", 30);
    /** Unmeasured rounds first, an even number: both JVMs compile the push and receive paths before the measure. */
    static final int WARM_UP = size("WARM_UP", 1500) / 2 * 2;
    static final int SPACING_MS = size("SPACING_MS", 200);
    static final int IDLE = size("IDLE", 10_000);
    static final int REGISTRATIONS = size("REGISTRATIONS", 5_000);
    static final int WRITERS = size("WRITERS", 4);
    static final int CONNECTIONS = size("CONNECTIONS", 4);
    static final boolean DECODE_INLINE = "inline".equals(System.getenv("DECODE"));
    static final long REGISTRY_PID = Long.parseLong(System.getenv("REGISTRY_PID"));
    /** The path of async-profiler's library, or null: then {@code PROFILE=1} chooses JFR, or nothing is recorded. */
    static final String ASYNC_PROFILER = blankToNull(System.getenv("ASYNC_PROFILER"));
    /** {@code getconf CLK_TCK}: 100 on Linux. */
    static final int TICKS_PER_SECOND = 100;

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ManagedChannel> channels = new ArrayList<>();

    private XdsBenchClient(String base, int xdsPort) {
        this.base = base;
        for (int c = 0; c < CONNECTIONS; c++) {
            channels.add(NettyChannelBuilder.forAddress("127.0.0.1", xdsPort).usePlaintext().directExecutor()
                    .flowControlWindow(1 << 20).build());
        }
    }

    public static void main(String[] args) throws Exception {
        XdsBenchClient bench = new XdsBenchClient(System.getenv("REGISTRY_URL"),
                Integer.parseInt(System.getenv("XDS_PORT")));
        try {
            if (STREAMS > 0) {
                bench.propagation();
                stopAsyncProfiler();
            }
            if (IDLE > 0) {
                bench.idle(REGISTRY_PID);
            }
        } finally {
            bench.channels.forEach(ManagedChannel::shutdownNow);
        }
        System.exit(0);
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    static int size(String variable, int fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    /**
     * One subscribed stream: ACKs every response and notes the arrival of the first one whose version differs
     * from {@code baseline} (the version it held when the change was made). Its content is checked after the
     * round, off the clock: one process decoding the endpoints of 1,000 responses would otherwise queue each
     * arrival behind the decoding of those before it, where a real fleet decodes each stream in a process of
     * its own ({@code DECODE=inline} decodes every response on arrival too, for that comparison).
     */
    static final class Subscriber implements StreamObserver<DiscoveryResponse> {
        final StreamObserver<DiscoveryRequest> requests;
        final String service;
        volatile String version;
        volatile String baseline;
        volatile DiscoveryResponse arrived;
        volatile long arrivedAt;
        volatile CountDownLatch done;

        Subscriber(ManagedChannel channel, String service, String node) {
            this.service = service;
            this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(this);
            requests.onNext(DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId(node)
                    .setUserAgentName("gRPC Java")).setTypeUrl(ResourceType.ENDPOINT.typeUrl())
                    .addResourceNames(service).build());
        }

        /** Waits for the next change: the first response with a version other than the one held now. */
        void expectChange(CountDownLatch latch) {
            arrived = null;
            baseline = version;
            done = latch;
        }

        @Override
        public void onNext(DiscoveryResponse response) {
            long now = System.nanoTime();
            if (DECODE_INLINE) {
                endpoints(response);
            }
            version = response.getVersionInfo();
            CountDownLatch latch = done;
            if (latch != null && arrived == null && !response.getVersionInfo().equals(baseline)) {
                arrivedAt = now;
                arrived = response;
                latch.countDown();
            }
            synchronized (this) {
                requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl()).addResourceNames(service)
                        .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce()).build());
            }
        }

        /** Fails the run unless the change that arrived holds {@code expected} endpoints. */
        void check(int expected) {
            int got = endpoints(arrived);
            if (got != expected) {
                throw new IllegalStateException("stream of " + service + " received a change with " + got
                        + " endpoints where " + expected + " were expected");
            }
        }

        static int endpoints(DiscoveryResponse response) {
            try {
                ClusterLoadAssignment cla = response.getResources(0).unpack(ClusterLoadAssignment.class);
                return cla.getEndpointsList().stream().mapToInt(l -> l.getLbEndpointsCount()).sum();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }

    private List<Subscriber> open(int count, String prefix, boolean ownService) throws InterruptedException {
        List<Subscriber> subscribers = new ArrayList<>();
        CountDownLatch initial = new CountDownLatch(count);
        for (int s = 0; s < count; s++) {
            Subscriber sub = new Subscriber(channels.get(s % channels.size()), ownService ? prefix + "-" + s : prefix,
                    prefix + "-" + s);
            sub.expectChange(initial);
            subscribers.add(sub);
        }
        await(initial, prefix + " streams' first responses");
        subscribers.forEach(sub -> sub.check(0));
        return subscribers;
    }

    private void propagation() throws Exception {
        List<Subscriber> subscribers = open(STREAMS, "bench", false);
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        long[] all = new long[STREAMS * ROUNDS];
        long[] lastPerRound = new long[ROUNDS];
        long[] answered = new long[ROUNDS];
        long[] cpuBefore = null;
        for (int r = -WARM_UP; r < ROUNDS; r++) {
            if (r == 0) {
                profile();
                cpuBefore = new long[] {cpuTicks(REGISTRY_PID), cpuTicks(ProcessHandle.current().pid())};
            }
            CountDownLatch done = new CountDownLatch(STREAMS);
            // warm-up rounds register and deregister one instance in turn (even rounds add it, odd ones take it
            // away), so the measured rounds start from an empty service whichever the warm-up's length
            boolean warmUpAdds = r < 0 && (r + WARM_UP) % 2 == 0;
            int expected = r >= 0 ? r + 1 : warmUpAdds ? 1 : 0;
            subscribers.forEach(sub -> sub.expectChange(done));
            long start = System.nanoTime();
            if (r >= 0) {
                register("bench", "i-" + r, 10_000 + r);
            } else if (warmUpAdds) {
                register("bench", "warm-up", 9_999);
            } else {
                deregister("bench", "warm-up");
            }
            long registered = System.nanoTime() - start;
            await(done, "registration " + r);
            subscribers.forEach(sub -> sub.check(expected));
            if (r >= 0) {
                long last = 0;
                for (int s = 0; s < STREAMS; s++) {
                    long took = subscribers.get(s).arrivedAt - start;
                    all[r * STREAMS + s] = took;
                    last = Math.max(last, took);
                }
                lastPerRound[r] = last;
                answered[r] = registered;
            }
            if (r < 0) {
                continue; // warm-up rounds follow each other at once
            }
            // registrations spaced out, SPACING_MS from one start to the next: each one is timed alone
            long nextStart = start + TimeUnit.MILLISECONDS.toNanos(SPACING_MS);
            pacer.schedule(() -> { }, Math.max(0, nextStart - System.nanoTime()), TimeUnit.NANOSECONDS).get();
        }
        pacer.shutdown();
        double serverCpu = (cpuTicks(REGISTRY_PID) - cpuBefore[0]) * 1000.0 / TICKS_PER_SECOND / ROUNDS;
        double clientCpu = (cpuTicks(ProcessHandle.current().pid()) - cpuBefore[1]) * 1000.0 / TICKS_PER_SECOND / ROUNDS;
        Arrays.sort(all);
        Arrays.sort(lastPerRound);
        Arrays.sort(answered);
        System.out.printf("XDS propagation streams=%d connections=%d registrations=%d (after %d warm-up, %d ms apart): "
                + "per stream p50=%.1fms p99=%.1fms max=%.1fms; last of the %d streams p50=%.1fms max=%.1fms; "
                + "HTTP answer p50=%.1fms max=%.1fms; CPU per registration: Beacon %.1fms, this client %.1fms%s%n",
                STREAMS, CONNECTIONS, ROUNDS, WARM_UP, SPACING_MS,
                ms(all, 0.50), ms(all, 0.99), all[all.length - 1] / 1e6, STREAMS, ms(lastPerRound, 0.50),
                lastPerRound[ROUNDS - 1] / 1e6, ms(answered, 0.50), answered[ROUNDS - 1] / 1e6, serverCpu, clientCpu,
                DECODE_INLINE ? " (every response decoded on arrival)" : "");
        subscribers.forEach(s -> s.requests.onCompleted());
    }

    private void idle(long beaconPid) throws Exception {
        registrations("warm"); // the HTTP path's JIT, before either measure
        double without = registrations("plain");
        long before = serverHeap(beaconPid);
        List<Subscriber> idle = open(IDLE, "idle", true);
        long after = serverHeap(beaconPid);
        double with = registrations("loaded");
        double again = registrations("plain");
        System.out.printf("XDS idle streams=%d: Beacon's heap after GC %.1f MiB -> %.1f MiB, %.1f KiB per stream; "
                + "registrations/s over HTTP (%d writers, %d each) without=%.0f with=%.0f without-again=%.0f%n",
                IDLE, before / 1048576.0, after / 1048576.0, (after - before) / 1024.0 / IDLE, WRITERS,
                REGISTRATIONS, without, with, again);
        idle.forEach(s -> s.requests.onCompleted());
    }

    /** Registrations per second: WRITERS threads re-registering 2,000 instances of 200 services on new ports. */
    private double registrations(String prefix) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                running.add(writers.submit(() -> {
                    for (int n; (n = next.getAndIncrement()) < REGISTRATIONS; ) {
                        register("tp-" + (n % 200), "i-" + (n % 2000), 20_000 + n % 40_000);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            writers.shutdownNow();
        }
        return REGISTRATIONS / ((System.nanoTime() - start) / 1e9);
    }

    private void register(String service, String id, int port) throws Exception {
        String body = "{\"name\":\"%s\",\"id\":\"%s\",\"address\":\"127.0.0.1\",\"port\":%d,\"leaseSeconds\":600}"
                .formatted(service, id, port);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/register"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException("registration answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    private void deregister(String service, String id) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/deregister/" + service + "/" + id))
                .timeout(Duration.ofSeconds(30)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException("deregistration answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    private static final Pattern USED = Pattern.compile("\"value\"\\s*:\\s*([0-9.Ee+]+)");

    /** Beacon's heap in use right after a full GC it was asked for through jcmd. */
    private long serverHeap(long pid) throws Exception {
        Process gc = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!gc.waitFor(1, TimeUnit.MINUTES) || gc.exitValue() != 0) {
            throw new IllegalStateException("jcmd GC.run failed");
        }
        String json = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = USED.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no heap figure in " + json);
        }
        return (long) Double.parseDouble(m.group(1));
    }

    /** User plus system CPU time of a process, in clock ticks ({@code /proc/PID/stat}, fields 14 and 15). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * With {@code PROFILE=1}: starts a JFR recording (settings=profile) of Beacon through jcmd and of this
     * client, once the warm-up rounds are done, so the profile holds the measured rounds only. bench/xds.sh
     * dumps Beacon's; this client's is written to {@code CLIENT_JFR} at exit. With {@code ASYNC_PROFILER} (the
     * path of async-profiler's {@code libasyncProfiler.so}, from its Maven Central jar) both processes are
     * sampled by async-profiler instead (CPU time, every thread, 1 ms) until {@link #stopAsyncProfiler}.
     */
    private static void profile() throws Exception {
        if (ASYNC_PROFILER != null) {
            String start = "\"start,event=itimer,interval=1ms\"";
            jcmd(REGISTRY_PID, "JVMTI.agent_load", ASYNC_PROFILER, start);
            jcmd(ProcessHandle.current().pid(), "JVMTI.agent_load", ASYNC_PROFILER, start);
            return;
        }
        if (!"1".equals(System.getenv("PROFILE"))) {
            return;
        }
        jcmd(REGISTRY_PID, "JFR.start", "name=xds", "settings=profile");
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.setDestination(Path.of(System.getenv("CLIENT_JFR")));
        recording.setDumpOnExit(true);
        recording.start();
    }

    /** Ends async-profiler's sampling, if it runs: collapsed stacks into {@code BEACON_PROFILE} and {@code CLIENT_PROFILE}. */
    private static void stopAsyncProfiler() throws Exception {
        if (ASYNC_PROFILER != null) {
            jcmd(REGISTRY_PID, "JVMTI.agent_load", ASYNC_PROFILER,
                    "\"stop,file=" + System.getenv("BEACON_PROFILE") + ",collapsed\"");
            jcmd(ProcessHandle.current().pid(), "JVMTI.agent_load", ASYNC_PROFILER,
                    "\"stop,file=" + System.getenv("CLIENT_PROFILE") + ",collapsed\"");
        }
    }

    private static void jcmd(long pid, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!jcmd.waitFor(1, TimeUnit.MINUTES) || jcmd.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", line) + " failed");
        }
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException(what + ": " + latch.getCount() + " streams did not receive it in 2 minutes");
        }
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
