import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Beacon watch benchmark (run with the JDK's single-file launcher; see run.sh):
 * 1. propagation to SSE watchers: time from the POST /register response to receipt of the event;
 * 2. propagation to long-poll watchers: same, to the answer of a held GET /discover;
 * 3. registration throughput without and with 10,000 held long polls, and heap per held long poll.
 *
 * Instances are registered with a one-hour lease: none goes STALE during a run, so only the benchmark's
 * own registrations change the watched services.
 *
 * Long-poll watchers are {@link RawWatchers} and SSE watchers {@link RawStreams} (raw NIO, a few selector threads),
 * so the figure is the server's and not the cost of a heavyweight client on the same cores; the same phases with JDK
 * HttpClient watchers (one selector thread per client and several executor hand-offs per response) are run with
 * {@code SSE_CLIENT=jdk} and jdkLongPollWatchers > 0. Each phase starts with {@link #WARMUP} unmeasured changes.
 *
 * Args: port serverPid sseWatchers longPollWatchers rounds heldWatchers loadSeconds [jdkLongPollWatchers]
 */
public class WatchBench {

    static String base;
    /** Where registrations go: the watched server, or another cluster member (REGISTER_PORT). */
    static String registerBase;
    /** Connections opened per batch: below Tomcat's accept backlog (100), so no SYN is dropped and retried. */
    static final int BATCH = 100;
    /** Watcher connections per client: each JDK HttpClient has one selector thread for all its connections. */
    static final int PER_CLIENT = 250;
    static final java.util.concurrent.ExecutorService callbacks = Executors.newFixedThreadPool(4);
    // for registrations and scrapes only, so they never queue behind watcher connections; with an executor of its
    // own, so a registration's response is not read after the events the watchers' callbacks are busy with
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "registrations");
                t.setDaemon(true);
                return t;
            })).build();
    /** Selector threads of the raw NIO long-poll watchers. */
    static final int SELECTOR_THREADS = 2;
    /**
     * Changes made before the measured rounds of each phase, so the figures are of warmed-up code rather than of
     * the server's JIT compilers, which on two cores take most of one for the first minute ({@code WARMUP_ROUNDS},
     * 300). A warm-up change re-registers the phase's seed instance at another address: the watchers see real
     * changes while the service keeps its size, so the measured answers are as large as with no warm-up.
     */
    static final int WARMUP = Integer.parseInt(System.getenv().getOrDefault("WARMUP_ROUNDS", "300"));

    // HTTP/1.1 only: the JDK client's default h2c upgrade attempt stalls many concurrent first requests
    static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(callbacks).build();
    }

    /** Enough clients for {@code connections} watchers, {@link #PER_CLIENT} each. */
    static HttpClient[] clients(int connections) {
        HttpClient[] all = new HttpClient[Math.max(1, (connections + PER_CLIENT - 1) / PER_CLIENT)];
        for (int i = 0; i < all.length; i++) {
            all[i] = newClient();
        }
        return all;
    }

    /**
     * Opens {@code count} watchers in batches of {@link #BATCH}: after each batch, waits (bounded) until
     * the server's gauge shows them, so connection attempts never pile up beyond the accept backlog.
     */
    static void paced(String kind, int already, int count, java.util.function.IntConsumer open) throws Exception {
        for (int i = 0; i < count; i += BATCH) {
            int end = Math.min(count, i + BATCH);
            for (int j = i; j < end; j++) {
                open.accept(j);
            }
            awaitGauge(kind, already + end, 60);
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String pid = args[1];
        int sse = Integer.parseInt(args[2]);
        int polls = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        int held = Integer.parseInt(args[5]);
        int loadSeconds = Integer.parseInt(args[6]);
        int jdkPolls = args.length > 7 ? Integer.parseInt(args[7]) : 0;
        base = "http://127.0.0.1:" + port;
        String registerPort = System.getenv("REGISTER_PORT");
        registerBase = registerPort == null || registerPort.isBlank() ? base : "http://127.0.0.1:" + registerPort;

        int status = 1;
        try {
            register("bench-sse", "seed", 0);
            ssePropagation(port, sse, rounds);
            register("bench-lp", "seed", 0);
            longPollPropagation(port, polls, rounds);
            if (jdkPolls > 0) {
                register("bench-lp-jdk", "seed", 0);
                longPollPropagationJdk(jdkPolls, rounds);
            }
            if (held > 0) {
                heldLongPolls(pid, held, loadSeconds);
            }
            status = 0;
        } catch (Exception e) {
            e.printStackTrace(); // printed here: the exit below would otherwise swallow it
        } finally {
            System.exit(status); // the client's pool threads would otherwise keep the JVM (and run.sh) alive
        }
    }

    static long register(String service, String id, int n) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(registerBase + "/register"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + service + "\",\"address\":\"10.1."
                        + (n / 250 % 250) + "." + (n % 250 + 1) + "\",\"port\":8080,\"leaseSeconds\":3600,\"id\":\"" + id + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("register " + r.statusCode() + " " + r.body());
        }
        return Long.parseLong(r.headers().firstValue("X-Beacon-Index").orElseThrow());
    }

    static double gauge(String kind) throws Exception {
        String body = client.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String prefix = "beacon_watchers{kind=\"" + kind + "\"} ";
        return body.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst().orElse(-1);
    }

    static void awaitGauge(String kind, int count, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (gauge(kind) < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + gauge(kind) + " of " + count + " " + kind
                        + " watchers after " + seconds + " s");
            }
            Thread.sleep(50); // polling the server's gauge from the benchmark client, not a test
        }
    }

    /** Records, per round, when this SSE watcher saw the marker id of that round; notes an early end. */
    static final class Watcher implements Flow.Subscriber<String> {
        final ConcurrentLinkedQueue<long[]> seen;
        final java.util.concurrent.atomic.AtomicInteger ended;
        /** Warm-up changes seen, by every watcher together. */
        final java.util.concurrent.atomic.AtomicInteger warmed;
        volatile Flow.Subscription subscription;
        volatile int received;
        volatile boolean snapshot;
        Watcher(ConcurrentLinkedQueue<long[]> seen, java.util.concurrent.atomic.AtomicInteger ended,
                java.util.concurrent.atomic.AtomicInteger warmed) {
            this.seen = seen;
            this.ended = ended;
            this.warmed = warmed;
        }
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }
        public void onNext(String line) {
            if (line.startsWith("event: snapshot")) {
                snapshot = true;
            } else if (line.startsWith("data: {\"kind\":\"updated\"") && line.contains("\"id\":\"seed\"")) {
                warmed.incrementAndGet();
            } else if (line.startsWith("data: {\"kind\":\"registered\"")) {
                long now = System.nanoTime();
                int at = line.indexOf("\"id\":\"round-");
                if (at > 0) {
                    int end = line.indexOf('"', at + 12);
                    seen.add(new long[] {Long.parseLong(line.substring(at + 12, end)), now});
                    received++;
                }
            }
        }
        public void onError(Throwable t) {
            ended.incrementAndGet();
        }
        public void onComplete() {
            ended.incrementAndGet();
        }
    }

    /**
     * SSE watchers are raw NIO connections ({@link RawStreams}) unless {@code SSE_CLIENT=jdk}: JDK HttpClient
     * watchers (a line subscriber each, several executor hand-offs per line) spend more of the two cores than
     * the server does on a change.
     */
    static final boolean JDK_SSE = "jdk".equals(System.getenv("SSE_CLIENT"));

    static void ssePropagation(int port, int watchers, int rounds) throws Exception {
        if (watchers == 0) {
            return;
        }
        ConcurrentLinkedQueue<long[]> seen = new ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger warmed = new java.util.concurrent.atomic.AtomicInteger();
        HttpClient[] clients = JDK_SSE ? clients(watchers) : null;
        RawStreams raw = JDK_SSE ? null : new RawStreams(port, SELECTOR_THREADS);
        Watcher[] all = new Watcher[watchers];
        paced("stream", 0, watchers, i -> {
            all[i] = new Watcher(seen, ended, warmed);
            if (raw != null) {
                raw.open("/watch?name=bench-sse", all[i]);
            } else {
                clients[i % clients.length].sendAsync(HttpRequest.newBuilder(URI.create(base + "/watch?name=bench-sse"))
                        .build(), HttpResponse.BodyHandlers.fromLineSubscriber(all[i]));
            }
        });
        long[] responseAt = new long[rounds];
        long[] sentAt = new long[rounds];
        for (int w = 0; w < WARMUP; w++) {
            int before = warmed.get();
            register("bench-sse", "seed", w + 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (warmed.get() < before + watchers && System.nanoTime() < deadline) {
                Thread.sleep(5); // pacing the next warm-up change, as the measured rounds are paced
            }
        }
        long[] cpuBefore = cpu();
        for (int r = 0; r < rounds; r++) {
            int before = seen.size();
            sentAt[r] = System.nanoTime();
            register("bench-sse", "round-" + r, r);
            responseAt[r] = System.nanoTime();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < before + watchers && System.nanoTime() < deadline) {
                Thread.sleep(5); // pacing the next round; receipt times are taken by the watchers themselves
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seen.size() < (long) watchers * rounds && System.nanoTime() < deadline) {
            Thread.sleep(20); // bounded wait for stragglers before counting what is missing
        }
        long[] cpuAfter = cpu();
        report("SSE (" + (JDK_SSE ? "JDK HttpClient" : "raw NIO") + " watchers), " + watchers + " watchers x " + rounds
                + " registrations", seen, sentAt, responseAt,
                (long) watchers * rounds);
        int short_ = 0;
        int noSnapshot = 0;
        for (Watcher w : all) {
            short_ += w.received < rounds ? 1 : 0;
            noSnapshot += w.snapshot ? 0 : 1;
        }
        System.out.printf("SSE: %d watchers missed events, %d never got a snapshot, %d streams ended early%n",
                short_, noSnapshot, ended.get());
        printCpu("SSE", cpuBefore, cpuAfter, rounds);
        for (Watcher w : all) {
            Flow.Subscription s = w.subscription;
            if (s != null) {
                s.cancel(); // closes the stream so the next phases start clean
            }
        }
        if (raw != null) {
            raw.close();
        }
        awaitGaugeAtMost("stream", 0, 60);
    }

    static void awaitGaugeAtMost(String kind, int count, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (gauge(kind) > count && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling the server's gauge from the benchmark client, not a test
        }
    }

    /**
     * Long-poll propagation measured with {@link RawWatchers}: every round re-arms each keep-alive connection
     * with {@code GET /discover?name=bench-lp&index=N&wait=60s}, waits until the server holds all of them,
     * registers one instance and records when each watcher has read its whole answer.
     */
    static void longPollPropagation(int port, int watchers, int rounds) throws Exception {
        if (watchers == 0) {
            return;
        }
        ConcurrentLinkedQueue<long[]> seen = new ConcurrentLinkedQueue<>();
        RawWatchers raw = new RawWatchers(port, watchers, SELECTOR_THREADS);
        // LP_INSTANCES more instances make every answer larger (about 500 bytes each)
        int extra = Integer.parseInt(System.getenv().getOrDefault("LP_INSTANCES", "0"));
        for (int i = 0; i < extra; i++) {
            register("bench-lp", "extra-" + i, 1000 + i);
        }
        long index = register("bench-lp", "seed", 0);
        long[] responseAt = new long[rounds];
        long[] sentAt = new long[rounds];
        long[] lastAt = new long[rounds];
        double[] serverMs = new double[rounds];
        AtomicLong failed = new AtomicLong();
        double serverSum = 0;
        double serverMax = 0;
        // warm-up rounds (negative numbers) run the same way and are not counted
        long[] cpuBefore = null;
        for (int r = -WARMUP; r < rounds; r++) {
            if (r == 0) {
                cpuBefore = cpu();
            }
            CountDownLatch done = new CountDownLatch(watchers);
            int round = r;
            raw.arm("/discover?name=bench-lp&index=" + index + "&wait=60s", index, (w, ok, nanos) -> {
                if (round < 0) {
                    // warm-up
                } else if (ok) {
                    seen.add(new long[] {round, nanos});
                    synchronized (lastAt) {
                        lastAt[round] = Math.max(lastAt[round], nanos);
                    }
                } else {
                    failed.incrementAndGet();
                }
                done.countDown();
            });
            awaitGauge("long_poll", watchers, 60);
            double[] wakeBefore = wakeTimer();
            long sent = System.nanoTime();
            // a warm-up round moves the seed; a measured round adds its own instance
            index = r < 0 ? register("bench-lp", "seed", -r) : register("bench-lp", "round-" + r, r);
            long response = System.nanoTime();
            if (!done.await(30, TimeUnit.SECONDS)) {
                System.out.printf("long poll round %d: %d not answered within 30 s%n", r, done.getCount());
            }
            double[] wakeAfter = wakeTimer();
            if (r >= 0) {
                sentAt[r] = sent;
                responseAt[r] = response;
                serverMs[r] = (wakeAfter[1] - wakeBefore[1]) * 1e3;
                serverSum += serverMs[r];
                serverMax = Math.max(serverMax, serverMs[r]);
            }
        }
        long[] cpuAfter = cpu();
        raw.close();
        report("long poll (raw NIO watchers), " + watchers + " watchers x " + rounds + " registrations", seen, sentAt,
                responseAt, (long) watchers * rounds);
        System.out.printf("long poll (raw NIO watchers): %d failed; %d warm-up rounds not counted; server side, from "
                + "the change to the last woken answer flushed: mean %.1f ms, max %.1f ms over %d changes%n",
                failed.get(), WARMUP, serverSum / rounds, serverMax, rounds);
        StringBuilder perRound = new StringBuilder("long poll per round, server flush of all / last watcher after "
                + "the POST response (ms):");
        for (int r = 0; r < rounds; r++) {
            perRound.append(String.format(" %.0f/%.0f", serverMs[r], (lastAt[r] - responseAt[r]) / 1e6));
        }
        System.out.println(perRound);
        printCpu("long poll", cpuBefore, cpuAfter, rounds);
        awaitGaugeAtMost("long_poll", 0, 60);
    }

    /**
     * CPU time used so far, in nanoseconds: this client process's and the server's ({@code process_cpu_time_ns_total}).
     * The measured rounds include the pacing between changes (gauge scrapes, sleeps), so the figures are an upper
     * bound of the cost of a change.
     */
    static long[] cpu() throws Exception {
        long own = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
        String body = client.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
        String name = "process_cpu_time_ns_total ";
        long server = body.lines().filter(l -> l.startsWith(name))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(name.length()))).findFirst().orElse(-1);
        return new long[] {own, server};
    }

    static void printCpu(String what, long[] before, long[] after, int changes) {
        System.out.printf("%s CPU per change, measured rounds with their pacing: client %.1f ms, server %.1f ms%n",
                what, (after[0] - before[0]) / 1e6 / changes, (after[1] - before[1]) / 1e6 / changes);
    }

    /** {@code beacon_watch_wake_seconds} count, sum and max from the server. */
    static double[] wakeTimer() throws Exception {
        String body = client.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
        double[] values = new double[3];
        String[] names = {"beacon_watch_wake_seconds_count ", "beacon_watch_wake_seconds_sum ",
            "beacon_watch_wake_seconds_max "};
        body.lines().forEach(l -> {
            for (int i = 0; i < names.length; i++) {
                if (l.startsWith(names[i])) {
                    values[i] = Double.parseDouble(l.substring(names[i].length()));
                }
            }
        });
        return values;
    }

    static void longPollPropagationJdk(int watchers, int rounds) throws Exception {
        if (watchers == 0) {
            return;
        }
        ConcurrentLinkedQueue<long[]> seen = new ConcurrentLinkedQueue<>();
        HttpClient[] clients = clients(watchers);
        long index = register("bench-lp-jdk", "seed", 0);
        long[] responseAt = new long[rounds];
        long[] sentAt = new long[rounds];
        AtomicLong failed = new AtomicLong();
        for (int r = 0; r < rounds; r++) {
            CountDownLatch done = new CountDownLatch(watchers);
            int round = r;
            long at = index;
            paced("long_poll", 0, watchers, i -> clients[i % clients.length].sendAsync(HttpRequest.newBuilder(
                    URI.create(base + "/discover?name=bench-lp-jdk&index=" + at + "&wait=60s"))
                    .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete((resp, e) -> {
                        if (e == null && resp.statusCode() == 200) {
                            seen.add(new long[] {round, System.nanoTime()});
                        } else {
                            failed.incrementAndGet();
                        }
                        done.countDown();
                    }));
            sentAt[r] = System.nanoTime();
            index = register("bench-lp-jdk", "round-" + r, r);
            responseAt[r] = System.nanoTime();
            if (!done.await(30, TimeUnit.SECONDS)) {
                System.out.printf("long poll round %d: %d not answered within 30 s%n", r, done.getCount());
            }
        }
        report("long poll (JDK HttpClient watchers), " + watchers + " watchers x " + rounds + " registrations", seen, sentAt, responseAt,
                (long) watchers * rounds);
        System.out.printf("long poll (JDK HttpClient watchers): %d failed%n", failed.get());
    }

    static void report(String what, ConcurrentLinkedQueue<long[]> seen, long[] sentAt, long[] responseAt, long expected) {
        List<long[]> all = new ArrayList<>(seen);
        double[] fromResponse = new double[all.size()];
        double[] fromSent = new double[all.size()];
        int early = 0;
        for (int i = 0; i < all.size(); i++) {
            int r = (int) all.get(i)[0];
            long at = all.get(i)[1];
            double ms = (at - responseAt[r]) / 1e6;
            if (ms < 0) {
                early++;
            }
            fromResponse[i] = Math.max(0, ms);
            fromSent[i] = (at - sentAt[r]) / 1e6;
        }
        Arrays.sort(fromResponse);
        Arrays.sort(fromSent);
        System.out.printf("%s: received %d/%d; after the POST response p50 %.1f ms, p99 %.1f ms, max %.1f ms "
                + "(%d arrived before the response, counted as 0); after the POST was sent p50 %.1f ms, p99 %.1f ms%n",
                what, all.size(), expected, pct(fromResponse, 50), pct(fromResponse, 99),
                fromResponse.length == 0 ? 0 : fromResponse[fromResponse.length - 1], early,
                pct(fromSent, 50), pct(fromSent, 99));
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(i, sorted.length - 1))];
    }

    /** Registrations per second from 8 client threads for {@code seconds}. */
    static double throughput(String tag, int seconds) throws Exception {
        AtomicLong count = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                int n = 0;
                try {
                    while (System.nanoTime() < end) {
                        register("bench-load", tag + "-" + thread + "-" + (n++ % 500), n);
                        count.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
        return count.get() / (double) seconds;
    }

    static long heapUsedKb(String pid) throws Exception {
        run("jcmd", pid, "GC.run");
        String info = run("jcmd", pid, "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("no heap usage in: " + info);
        }
        return Long.parseLong(m.group(1));
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    static void heldLongPolls(String pid, int held, int loadSeconds) throws Exception {
        throughput("warmup", Math.max(2, loadSeconds / 2));
        double without = throughput("without", loadSeconds);
        long heapBefore = heapUsedKb(pid);
        long index = register("bench-hold", "seed", 0);
        CountDownLatch answered = new CountDownLatch(held);
        AtomicLong failed = new AtomicLong();
        long openStart = System.nanoTime();
        RawWatchers raw = new RawWatchers(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), held,
                SELECTOR_THREADS);
        raw.arm("/discover?name=bench-hold&index=" + index + "&wait=5m", index, (w, ok, nanos) -> {
            if (!ok) {
                failed.incrementAndGet();
            }
            answered.countDown();
        });
        awaitGauge("long_poll", held, 120);
        double openSeconds = (System.nanoTime() - openStart) / 1e9;
        long heapHeld = heapUsedKb(pid);
        double with = throughput("with", loadSeconds);
        double stillHeld = gauge("long_poll");
        long wakeStart = System.nanoTime();
        register("bench-hold", "wake", 1);
        boolean all = answered.await(120, TimeUnit.SECONDS);
        double wakeMs = (System.nanoTime() - wakeStart) / 1e6;
        raw.close();
        System.out.printf("%d long polls (raw NIO watchers) connected one at a time and held in %.1f s%n", held,
                openSeconds);
        System.out.printf("registrations/s from 8 client threads for %d s: %.0f without held long polls, %.0f with %d held "
                + "(%.0f still held after the load)%n", loadSeconds, without, with, held, stillHeld);
        System.out.printf("heap used after full GC: %d KB before, %d KB with %d held long polls: %.2f KB per held long poll%n",
                heapBefore, heapHeld, held, (heapHeld - heapBefore) / (double) held);
        System.out.printf("one change woke all %d held long polls: all answered=%s in %.0f ms, failures %d%n",
                held, all, wakeMs, failed.get());
    }

    /**
     * Long-poll watchers over raw NIO {@link SocketChannel}s: one HTTP/1.1 keep-alive connection per watcher,
     * a few selector threads for all of them, no per-response thread hand-off. Each watcher writes its GET,
     * reads the whole response (status line, headers, {@code Content-Length} body) and only then counts it,
     * with the time the last byte was read. A response is accepted when its status is 200 and its
     * {@code X-Beacon-Index} moved past the index the watcher sent; anything else (another status, no
     * {@code Content-Length}, a closed connection) counts as a failure.
     */
    static final class RawWatchers {

        /** Receives each finished poll: the watcher, whether it was accepted, and when its last byte arrived. */
        interface Listener {
            void answered(int watcher, boolean ok, long nanos);
        }

        final int port;
        final Loop[] loops;
        final Conn[] conns;

        RawWatchers(int port, int watchers, int selectorThreads) throws IOException {
            this.port = port;
            this.loops = new Loop[selectorThreads];
            for (int i = 0; i < loops.length; i++) {
                loops[i] = new Loop("raw-watchers-" + i);
                loops[i].start();
            }
            this.conns = new Conn[watchers];
            for (int i = 0; i < watchers; i++) {
                // one blocking connect at a time: the server's accept backlog never overflows
                SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
                conns[i] = new Conn(i, port, ch, loops[i % loops.length]);
            }
        }

        /** Sends {@code GET path} (whose {@code index} parameter is {@code index}) on every connection. */
        void arm(String path, long index, Listener listener) {
            byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nAccept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            for (Loop loop : loops) {
                loop.submit(() -> {
                    for (Conn c : conns) {
                        if (c.loop == loop) {
                            c.send(request, index, listener);
                        }
                    }
                });
            }
        }

        void close() {
            List<SocketChannel> channels = new ArrayList<>();
            for (Conn c : conns) {
                channels.add(c.ch);
            }
            closeAll(channels, loops);
        }

        /**
         * Closes {@code channels}, then the loops' selectors: a channel registered with a selector keeps its
         * socket open (the server sees only a half-close) until a selector deregisters it, and a client that has
         * only half-closed still takes the server's writes.
         */
        static void closeAll(List<SocketChannel> channels, Loop[] loops) {
            for (SocketChannel ch : channels) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            for (Loop loop : loops) {
                loop.interrupt();
                try {
                    loop.selector.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }

        /** A selector thread; tasks from other threads run on it between selects. */
        static final class Loop extends Thread {
            final Selector selector;
            final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

            Loop(String name) throws IOException {
                super(name);
                setDaemon(true);
                selector = Selector.open();
            }

            void submit(Runnable task) {
                tasks.add(task);
                selector.wakeup();
            }

            @Override
            public void run() {
                try {
                    while (!isInterrupted()) {
                        selector.select(1000);
                        for (Runnable task; (task = tasks.poll()) != null; ) {
                            task.run();
                        }
                        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                        while (keys.hasNext()) {
                            SelectionKey key = keys.next();
                            keys.remove();
                            ((Ready) key.attachment()).ready(key);
                        }
                    }
                } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                    // stopped
                }
            }
        }

        /** {@code in}, or a buffer twice its size holding what it holds, when it is full. */
        static ByteBuffer room(ByteBuffer in) {
            if (in.hasRemaining()) {
                return in;
            }
            ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
            in.flip();
            return bigger.put(in);
        }

        /** A connection a {@link Loop} reports readiness to. */
        interface Ready {
            void ready(SelectionKey key);
        }

        /** One watcher's connection and the state of the response being read. */
        static final class Conn implements Ready {
            final int id;
            final int port;
            SocketChannel ch;
            final Loop loop;
            /** The last answer said {@code Connection: close} (Tomcat's requests-per-connection limit): reconnect. */
            boolean closed;
            boolean closing;
            SelectionKey key;
            ByteBuffer out;
            ByteBuffer in = ByteBuffer.allocate(16 * 1024);
            long sentIndex;
            Listener listener;
            int headerEnd = -1;
            int contentLength;
            int status;
            long index;

            Conn(int id, int port, SocketChannel ch, Loop loop) {
                this.id = id;
                this.port = port;
                this.ch = ch;
                this.loop = loop;
            }

            void send(byte[] request, long sentIndex, Listener listener) {
                this.sentIndex = sentIndex;
                this.listener = listener;
                this.out = ByteBuffer.wrap(request);
                try {
                    if (closed) {
                        closed = false;
                        ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        ch.configureBlocking(false);
                        key = null;
                    }
                    if (key == null) {
                        key = ch.register(loop.selector, SelectionKey.OP_READ, this);
                    }
                    ch.write(out);
                    key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
                } catch (IOException e) {
                    fail();
                }
            }

            @Override
            public void ready(SelectionKey k) {
                try {
                    if (k.isValid() && k.isWritable()) {
                        ch.write(out);
                        if (!out.hasRemaining()) {
                            k.interestOps(SelectionKey.OP_READ);
                        }
                    }
                    if (k.isValid() && k.isReadable()) {
                        read();
                    }
                } catch (IOException | java.nio.channels.CancelledKeyException e) {
                    fail();
                }
            }

            private void read() throws IOException {
                while (true) {
                    in = room(in);
                    int n = ch.read(in);
                    if (n < 0) {
                        fail();
                        return;
                    }
                    if (n == 0) {
                        return;
                    }
                    if (headerEnd < 0 && !parseHead()) {
                        continue;
                    }
                    if (in.position() - headerEnd >= contentLength) {
                        long now = System.nanoTime();
                        boolean ok = status == 200 && index > sentIndex && in.position() - headerEnd == contentLength;
                        reset();
                        if (closing) {
                            closed = true;
                            key.cancel();
                            ch.close();
                        }
                        Listener l = listener;
                        listener = null;
                        if (l != null) {
                            l.answered(id, ok, now);
                        }
                        return;
                    }
                }
            }

            /** Parses status line and headers once they are complete; false while they are not. */
            private boolean parseHead() throws IOException {
                byte[] a = in.array();
                int end = -1;
                for (int i = 3; i < in.position(); i++) {
                    if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                        end = i + 1;
                        break;
                    }
                }
                if (end < 0) {
                    return false;
                }
                String head = new String(a, 0, end, StandardCharsets.ISO_8859_1);
                String[] lines = head.split("\r\n");
                status = Integer.parseInt(lines[0].split(" ", 3)[1]);
                contentLength = -1;
                index = -1;
                closing = false;
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon < 0) {
                        continue;
                    }
                    String name = lines[i].substring(0, colon).trim();
                    String value = lines[i].substring(colon + 1).trim();
                    if (name.equalsIgnoreCase("Content-Length")) {
                        contentLength = Integer.parseInt(value);
                    } else if (name.equalsIgnoreCase("X-Beacon-Index")) {
                        index = Long.parseLong(value);
                    } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                        closing = true;
                    }
                }
                if (contentLength < 0) {
                    throw new IOException("response without Content-Length: " + lines[0]);
                }
                headerEnd = end;
                return true;
            }

            private void reset() {
                in.clear();
                headerEnd = -1;
            }

            private void fail() {
                reset();
                Listener l = listener;
                listener = null;
                if (l != null) {
                    l.answered(id, false, System.nanoTime());
                }
                try {
                    ch.close();
                } catch (IOException e) {
                    // already broken
                }
            }
        }
    }

    /**
     * SSE watchers on raw NIO connections served by a few selector threads ({@link RawWatchers.Loop}): each
     * connection's bytes are cut into lines and given to its {@link Watcher}, which times the event it waits for
     * when its line arrives. The status line, headers and any chunk-size lines are lines too, and match nothing.
     */
    static final class RawStreams {
        final int port;
        final RawWatchers.Loop[] loops;
        final List<SocketChannel> channels = new ArrayList<>();
        int opened;

        RawStreams(int port, int selectorThreads) {
            this.port = port;
            this.loops = new RawWatchers.Loop[selectorThreads];
            try {
                for (int i = 0; i < loops.length; i++) {
                    loops[i] = new RawWatchers.Loop("raw-streams-" + i);
                    loops[i].start();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Opens one stream (a blocking connect and request write, then non-blocking reads on a loop). */
        void open(String path, Watcher watcher) {
            try {
                SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ByteBuffer request = ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                while (request.hasRemaining()) {
                    ch.write(request);
                }
                ch.configureBlocking(false);
                channels.add(ch);
                RawWatchers.Loop loop = loops[opened++ % loops.length];
                Lines lines = new Lines(ch, watcher);
                loop.submit(() -> {
                    try {
                        ch.register(loop.selector, SelectionKey.OP_READ, lines);
                    } catch (IOException e) {
                        watcher.onError(e);
                    }
                });
            } catch (IOException e) {
                watcher.onError(e);
            }
        }

        void close() {
            RawWatchers.closeAll(channels, loops);
        }

        /** Cuts one connection's bytes into lines for its watcher. */
        static final class Lines implements RawWatchers.Ready {
            final SocketChannel ch;
            final Watcher watcher;
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);

            Lines(SocketChannel ch, Watcher watcher) {
                this.ch = ch;
                this.watcher = watcher;
            }

            @Override
            public void ready(SelectionKey key) {
                try {
                    while (true) {
                        in = RawWatchers.room(in);
                        int n = ch.read(in);
                        if (n < 0) {
                            key.cancel();
                            watcher.onComplete();
                            return;
                        }
                        if (n == 0) {
                            return;
                        }
                        byte[] a = in.array();
                        int start = 0;
                        for (int i = 0; i < in.position(); i++) {
                            if (a[i] == '\n') {
                                int end = i > start && a[i - 1] == '\r' ? i - 1 : i;
                                watcher.onNext(new String(a, start, end - start, StandardCharsets.UTF_8));
                                start = i + 1;
                            }
                        }
                        in.limit(in.position()).position(start);
                        in.compact();
                    }
                } catch (IOException | java.nio.channels.CancelledKeyException e) {
                    key.cancel();
                    watcher.onError(e);
                }
            }
        }
    }
}
