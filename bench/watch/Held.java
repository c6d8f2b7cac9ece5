import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap per held watcher (run with the JDK's single-file launcher; see bench/watchers.sh). Holds COUNT long
 * polls ({@code GET /discover?...&wait=4m} on an unchanged service), releases them, then holds COUNT idle SSE
 * streams ({@code GET /watch?name=...}), each as a raw NIO socket read by one selector thread, and prints the
 * server's heap after a full GC ({@code jcmd GC.run}) before, while held and after release. Bounded: every
 * wait has a deadline.
 *
 * With INSTANCES > 0 it first registers that many instances (services of 10) and, with LOAD_SECONDS > 0,
 * measures re-registrations per second from 8 client threads before the long polls are opened and while they
 * are held, so the heap figures include a registry of that size and the throughput shows what held watchers
 * cost the writers.
 *
 * Args: port serverPid count [instances loadSeconds]
 */
public class Held {

    static final int BATCH = 100;
    static String base;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String pid = args[1];
        int count = Integer.parseInt(args[2]);
        base = "http://127.0.0.1:" + port;
        int instances = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        int loadSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        int status = 1;
        try {
            long index = register("held-lp", 1);
            register("held-sse", 1);
            if (instances > 0) {
                long start = System.nanoTime();
                registerAll(instances, instances, Long.MAX_VALUE);
                System.out.printf("%d instances registered in %.1f s%n", instances, (System.nanoTime() - start) / 1e9);
            }
            double without = loadSeconds > 0 && instances > 0 ? throughput(instances, loadSeconds) : 0;
            long before = heapKb(pid);
            System.out.printf("heap after full GC, nothing held: %d KB%n", before);
            Sockets polls = new Sockets(port);
            open(polls, count, "long_poll",
                    "GET /discover?name=held-lp&index=" + index + "&wait=4m HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            long held = heapKb(pid);
            System.out.printf("long polls: %d held: %d KB, %.1f KB per held long poll%n", count, held,
                    (held - before) / (double) count);
            if (without > 0) {
                double with = throughput(instances, loadSeconds);
                System.out.printf("re-registrations/s, 8 client threads, %d s: %.0f without watchers, %.0f with %d held "
                        + "long polls (%.2f); still held: %.0f%n", loadSeconds, without, with, count, with / without,
                        gauge("long_poll"));
            }
            if (System.getenv("HISTO") != null) {
                run("jcmd", pid, "GC.class_histogram").lines().limit(Integer.parseInt(System.getenv("HISTO")) + 3)
                        .forEach(System.out::println);
            }
            register("held-lp", 2); // a change answers every held long poll; the connections stay open, idle
            awaitGauge("long_poll", 0, 120);
            long answered = heapKb(pid);
            System.out.printf("long polls answered, %d idle keep-alive connections: %d KB (%.1f KB each)%n", count,
                    answered, (answered - before) / (double) count);
            polls.close();
            Thread.sleep(2000);
            long released = heapKb(pid);
            System.out.printf("connections closed: %d KB (%.1f KB per closed connection still kept)%n", released,
                    (released - before) / (double) count);
            Sockets streams = new Sockets(port);
            open(streams, count, "stream",
                    "GET /watch?name=held-sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n");
            long streaming = heapKb(pid);
            System.out.printf("SSE streams: %d held: %d KB, %.1f KB per idle stream (from the released baseline: %.1f KB)%n",
                    count, streaming, (streaming - before) / (double) count, (streaming - released) / (double) count);
            streams.close(); // a stream whose client left is released at its next keep-alive write (<= 16 s)
            awaitGauge("stream", 0, 120);
            System.out.printf("SSE streams closed and released: %d KB%n", heapKb(pid));
            status = 0;
        } catch (Exception e) {
            e.printStackTrace();
        } finally {
            System.exit(status);
        }
    }

    static void open(Sockets sockets, int count, String kind, String request) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < count; i += BATCH) {
            int end = Math.min(count, i + BATCH);
            for (int j = i; j < end; j++) {
                sockets.open(request);
            }
            awaitGauge(kind, end, 60);
        }
        System.out.printf("%d %s watchers open in %.1f s%n", count, kind, (System.nanoTime() - start) / 1e9);
    }

    static long register(String service, int n) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/register"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + service
                        + "\",\"address\":\"10.9.0." + n + "\",\"port\":8080,\"leaseSeconds\":3600}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("register " + r.statusCode() + " " + r.body());
        }
        return Long.parseLong(r.headers().firstValue("X-Beacon-Index").orElseThrow());
    }

    static String body(int i) {
        return "{\"name\":\"bulk-" + (i / 10) + "\",\"address\":\"10." + (i / 62500 % 250) + "." + (i / 250 % 250) + "."
                + (i % 250 + 1) + "\",\"port\":8080,\"leaseSeconds\":3600}";
    }

    /** Registers {@code count} instances (numbers modulo {@code modulus}) from 8 threads until done or the deadline. */
    static long registerAll(int count, int modulus, long deadlineNanos) throws Exception {
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                long k;
                while ((k = next.getAndIncrement()) < count && System.nanoTime() < deadlineNanos) {
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/register"))
                                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(body((int) (k % modulus)))).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() / 100 == 2) {
                            done.incrementAndGet();
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return done.get();
    }

    /** Re-registrations per second of the loaded instances for {@code seconds}. */
    static double throughput(int instances, int seconds) throws Exception {
        long start = System.nanoTime();
        long done = registerAll(Integer.MAX_VALUE / 2, instances, start + TimeUnit.SECONDS.toNanos(seconds));
        return done / ((System.nanoTime() - start) / 1e9);
    }

    static double gauge(String kind) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
        String prefix = "beacon_watchers{kind=\"" + kind + "\"} ";
        return body.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).sum();
    }

    static void awaitGauge(String kind, int expected, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        double value;
        while ((value = gauge(kind)) != expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(kind + " watchers: " + value + ", expected " + expected);
            }
            Thread.sleep(50);
        }
    }

    static long heapKb(String pid) throws Exception {
        run("jcmd", pid, "GC.run");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(run("jcmd", pid, "GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("no heap figure from jcmd");
        }
        return Long.parseLong(m.group(1));
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /** Raw sockets, each sending one request, whose answers one selector thread reads and discards. */
    static final class Sockets {
        private final InetSocketAddress address;
        private final Selector selector;
        private final List<SocketChannel> channels = new ArrayList<>();
        private final Thread reader;
        private volatile boolean open = true;

        Sockets(int port) throws IOException {
            address = new InetSocketAddress("127.0.0.1", port);
            selector = Selector.open();
            reader = new Thread(this::read, "held-reader");
            reader.setDaemon(true);
            reader.start();
        }

        void open(String request) throws IOException {
            SocketChannel channel = SocketChannel.open(address);
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            channel.configureBlocking(false);
            synchronized (channels) {
                channels.add(channel);
            }
            selector.wakeup();
            synchronized (this) {
                channel.register(selector, SelectionKey.OP_READ);
            }
        }

        private void read() {
            ByteBuffer buffer = ByteBuffer.allocate(16384);
            while (open) {
                try {
                    synchronized (this) {
                        // lets open() register between selects
                    }
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        buffer.clear();
                        if (((SocketChannel) key.channel()).read(buffer) < 0) {
                            key.cancel();
                        }
                    }
                    selector.selectedKeys().clear();
                } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                    return;
                }
            }
        }

        void close() throws IOException {
            open = false;
            synchronized (channels) {
                for (SocketChannel channel : channels) {
                    channel.close();
                }
            }
            selector.close();
        }
    }
}
