import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Args: port serverPid sseWatchers longPollWatchers rounds heldWatchers loadSeconds
 */
public class WatchBench {

    static String base;
    /** Connections opened per batch: below Tomcat's accept backlog (100), so no SYN is dropped and retried. */
    static final int BATCH = 100;
    /** Watcher connections per client: each JDK HttpClient has one selector thread for all its connections. */
    static final int PER_CLIENT = 250;
    static final java.util.concurrent.ExecutorService callbacks = Executors.newFixedThreadPool(4);
    // for registrations and scrapes only, so they never queue behind watcher connections
    static final HttpClient client = newClient();

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
        base = "http://127.0.0.1:" + port;

        int status = 1;
        try {
            register("bench-sse", "seed", 0);
            ssePropagation(sse, rounds);
            register("bench-lp", "seed", 0);
            longPollPropagation(polls, rounds);
            heldLongPolls(pid, held, loadSeconds);
            status = 0;
        } catch (Exception e) {
            e.printStackTrace(); // printed here: the exit below would otherwise swallow it
        } finally {
            System.exit(status); // the client's pool threads would otherwise keep the JVM (and run.sh) alive
        }
    }

    static long register(String service, String id, int n) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/register"))
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
            Thread.sleep(200); // polling the server's gauge from the benchmark client, not a test
        }
    }

    /** Records, per round, when this SSE watcher saw the marker id of that round; notes an early end. */
    static final class Watcher implements Flow.Subscriber<String> {
        final ConcurrentLinkedQueue<long[]> seen;
        final java.util.concurrent.atomic.AtomicInteger ended;
        volatile Flow.Subscription subscription;
        volatile int received;
        volatile boolean snapshot;
        Watcher(ConcurrentLinkedQueue<long[]> seen, java.util.concurrent.atomic.AtomicInteger ended) {
            this.seen = seen;
            this.ended = ended;
        }
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }
        public void onNext(String line) {
            if (line.startsWith("event: snapshot")) {
                snapshot = true;
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

    static void ssePropagation(int watchers, int rounds) throws Exception {
        if (watchers == 0) {
            return;
        }
        ConcurrentLinkedQueue<long[]> seen = new ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();
        HttpClient[] clients = clients(watchers);
        Watcher[] all = new Watcher[watchers];
        paced("stream", 0, watchers, i -> {
            all[i] = new Watcher(seen, ended);
            clients[i % clients.length].sendAsync(HttpRequest.newBuilder(URI.create(base + "/watch?name=bench-sse")).build(),
                    HttpResponse.BodyHandlers.fromLineSubscriber(all[i]));
        });
        long[] responseAt = new long[rounds];
        long[] sentAt = new long[rounds];
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
        report("SSE, " + watchers + " watchers x " + rounds + " registrations", seen, sentAt, responseAt,
                (long) watchers * rounds);
        int short_ = 0;
        int noSnapshot = 0;
        for (Watcher w : all) {
            short_ += w.received < rounds ? 1 : 0;
            noSnapshot += w.snapshot ? 0 : 1;
        }
        System.out.printf("SSE: %d watchers missed events, %d never got a snapshot, %d streams ended early%n",
                short_, noSnapshot, ended.get());
        for (Watcher w : all) {
            Flow.Subscription s = w.subscription;
            if (s != null) {
                s.cancel(); // closes the stream so the next phases start clean
            }
        }
        awaitGaugeAtMost("stream", 0, 60);
    }

    static void awaitGaugeAtMost(String kind, int count, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (gauge(kind) > count && System.nanoTime() < deadline) {
            Thread.sleep(200); // polling the server's gauge from the benchmark client, not a test
        }
    }

    static void longPollPropagation(int watchers, int rounds) throws Exception {
        if (watchers == 0) {
            return;
        }
        ConcurrentLinkedQueue<long[]> seen = new ConcurrentLinkedQueue<>();
        HttpClient[] clients = clients(watchers);
        long index = register("bench-lp", "seed", 0);
        long[] responseAt = new long[rounds];
        long[] sentAt = new long[rounds];
        AtomicLong failed = new AtomicLong();
        for (int r = 0; r < rounds; r++) {
            CountDownLatch done = new CountDownLatch(watchers);
            int round = r;
            long at = index;
            paced("long_poll", 0, watchers, i -> clients[i % clients.length].sendAsync(HttpRequest.newBuilder(
                    URI.create(base + "/discover?name=bench-lp&index=" + at + "&wait=60s"))
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
            index = register("bench-lp", "round-" + r, r);
            responseAt[r] = System.nanoTime();
            if (!done.await(30, TimeUnit.SECONDS)) {
                System.out.printf("long poll round %d: %d not answered within 30 s%n", r, done.getCount());
            }
        }
        report("long poll, " + watchers + " watchers x " + rounds + " registrations", seen, sentAt, responseAt,
                (long) watchers * rounds);
        System.out.printf("long poll: %d failed%n", failed.get());
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
        HttpClient[] clients = clients(held);
        long openStart = System.nanoTime();
        paced("long_poll", 0, held, i -> clients[i % clients.length].sendAsync(HttpRequest.newBuilder(
                URI.create(base + "/discover?name=bench-hold&index=" + index + "&wait=5m"))
                .timeout(Duration.ofMinutes(6)).build(), HttpResponse.BodyHandlers.discarding())
                .whenComplete((resp, e) -> {
                    if (e != null || resp.statusCode() != 200) {
                        failed.incrementAndGet();
                    }
                    answered.countDown();
                }));
        double openSeconds = (System.nanoTime() - openStart) / 1e9;
        long heapHeld = heapUsedKb(pid);
        double with = throughput("with", loadSeconds);
        double stillHeld = gauge("long_poll");
        long wakeStart = System.nanoTime();
        register("bench-hold", "wake", 1);
        boolean all = answered.await(120, TimeUnit.SECONDS);
        double wakeMs = (System.nanoTime() - wakeStart) / 1e6;
        System.out.printf("%d long polls opened in batches of %d in %.1f s%n", held, BATCH, openSeconds);
        System.out.printf("registrations/s from 8 client threads for %d s: %.0f without held long polls, %.0f with %d held "
                + "(%.0f still held after the load)%n", loadSeconds, without, with, held, stillHeld);
        System.out.printf("heap used after full GC: %d KB before, %d KB with %d held long polls: %.2f KB per held long poll%n",
                heapBefore, heapHeld, held, (heapHeld - heapBefore) / (double) held);
        System.out.printf("one change woke all %d held long polls: all answered=%s in %.0f ms, failures %d%n",
                held, all, wakeMs, failed.get());
    }
}
