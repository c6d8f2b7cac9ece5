package io.beacon.health;

import io.beacon.registry.CheckSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real I/O of an active check. HTTP: an asynchronous GET through one shared {@link HttpClient}
 * (2xx passes; any other status, a timeout or a connection error fails). TCP: a connect within the
 * timeout, on a bounded pool. Every probe completes (never exceptionally) within about its timeout.
 */
final class CheckProbe implements AutoCloseable {

    private final ExecutorService httpPool;
    private final ExecutorService tcpPool;
    private final HttpClient http;

    CheckProbe(int httpThreads, int tcpThreads) {
        this.httpPool = pool("beacon-check-http-", httpThreads);
        this.tcpPool = pool("beacon-check-tcp-", tcpThreads);
        this.http = HttpClient.newBuilder().executor(httpPool).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Runs the check once: true when it passed. */
    CompletableFuture<Boolean> probe(CheckSpec spec) {
        return spec.type() == CheckSpec.Type.HTTP ? http(spec) : tcp(spec);
    }

    private CompletableFuture<Boolean> http(CheckSpec spec) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(spec.target())).timeout(spec.timeout())
                    .header("User-Agent", "Beacon-Health-Check").GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(false);
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .orTimeout(spec.timeout().toMillis() + 100, TimeUnit.MILLISECONDS)
                .handle((response, error) -> error == null && response.statusCode() / 100 == 2);
    }

    private CompletableFuture<Boolean> tcp(CheckSpec spec) {
        int colon = spec.target().lastIndexOf(':');
        String host = spec.target().substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(spec.target().substring(colon + 1));
        int timeout = (int) Math.max(1, spec.timeout().toMillis());
        try {
            return CompletableFuture.supplyAsync(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(host, port), timeout);
                    return true;
                } catch (IOException | IllegalArgumentException e) {
                    return false;
                }
            }, tcpPool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    private static ExecutorService pool(String prefix, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(100_000),
                factory);
    }

    @Override
    public void close() {
        httpPool.shutdownNow();
        tcpPool.shutdownNow();
    }
}
