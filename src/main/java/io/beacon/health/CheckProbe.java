package io.beacon.health;

import io.beacon.registry.CheckSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real I/O of an active check. HTTP: an asynchronous GET through one shared {@link HttpClient}
 * (2xx passes; any other status, a timeout or a connection error fails). TCP: a connect within the
 * timeout, on a bounded pool. Every probe completes (never exceptionally) within about its timeout.
 * Both pools are Spring-managed beans ({@link HealthConfiguration}); the HTTP client, which starts a
 * selector thread of its own, is built on the first HTTP check, not in the constructor.
 *
 * <p>Every probe first resolves the target's host and fails, without connecting, when any address it
 * resolves to is forbidden ({@link CheckTargets#isForbidden}: link-local, metadata): a name registered as
 * harmless cannot later point Beacon at a metadata service. A TCP probe connects to the address it checked;
 * an HTTP probe lets the client resolve again, which the JVM's DNS cache answers from the same lookup.
 */
final class CheckProbe {

    private static final Logger log = LoggerFactory.getLogger(CheckProbe.class);

    private final Executor httpPool;
    private final Executor tcpPool;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile HttpClient http;

    /**
     * @param httpPool runs the HTTP client's work (its I/O is non-blocking)
     * @param tcpPool runs TCP connects, one blocked thread each; a rejected connect counts as failed
     */
    CheckProbe(Executor httpPool, Executor tcpPool) {
        this.httpPool = httpPool;
        this.tcpPool = tcpPool;
    }

    private HttpClient client() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    client = HttpClient.newBuilder().executor(httpPool).followRedirects(HttpClient.Redirect.NEVER)
                            .build();
                    http = client;
                }
            }
        }
        return client;
    }

    /**
     * One probe's result.
     *
     * @param passed whether the check passed
     * @param answer what the target answered, in a few words: {@code HTTP 503}, {@code connected},
     *     {@code connection refused}, {@code timed out}, {@code forbidden address}, ...
     */
    record Result(boolean passed, String answer) {
        static final Result UNRESOLVED = new Result(false, "forbidden or unresolvable address");
        static final Result BUSY = new Result(false, "not run: checks are saturated");
    }

    /** Runs the check once: true when it passed. */
    CompletableFuture<Boolean> probe(CheckSpec spec) {
        return run(spec).thenApply(Result::passed);
    }

    /** Runs the check once; completes with its result. */
    CompletableFuture<Result> run(CheckSpec spec) {
        return spec.type() == CheckSpec.Type.HTTP ? http(spec) : tcp(spec);
    }

    private CompletableFuture<Result> http(CheckSpec spec) {
        String host = CheckTargets.host(CheckSpec.Type.HTTP, spec.target());
        if (host == null) {
            return CompletableFuture.completedFuture(Result.UNRESOLVED);
        }
        try {
            return CompletableFuture.supplyAsync(() -> allowed(host, spec.target()) != null, httpPool)
                    .thenCompose(allowed -> allowed ? send(spec) : CompletableFuture.completedFuture(Result.UNRESOLVED));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(Result.BUSY);
        }
    }

    /** A failure in a few words: the kind of error, never a stack trace or an internal class name. */
    static String describe(Throwable error) {
        Throwable e = error;
        while ((e instanceof java.util.concurrent.CompletionException
                || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof java.net.http.HttpTimeoutException || e instanceof java.util.concurrent.TimeoutException
                || e instanceof java.net.SocketTimeoutException) {
            return "timed out";
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        return "connection failed";
    }

    /**
     * The first address {@code host} resolves to when none of them is forbidden; null (after one WARN line
     * per target) when one is, or when it does not resolve.
     */
    private InetAddress allowed(String host, String target) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
        for (InetAddress address : addresses) {
            if (CheckTargets.isForbidden(address)) {
                if (warned.add(target)) {
                    log.warn("Health check target {} resolves to {}, a link-local or metadata address: the check "
                            + "fails without connecting", target, address.getHostAddress());
                }
                return null;
            }
        }
        return addresses.length == 0 ? null : addresses[0];
    }

    private CompletableFuture<Result> send(CheckSpec spec) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(spec.target())).timeout(spec.timeout())
                    .header("User-Agent", "Beacon-Health-Check").GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Result(false, "invalid URL"));
        }
        return client().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .orTimeout(spec.timeout().toMillis() + 100, TimeUnit.MILLISECONDS)
                .handle((response, error) -> error != null ? new Result(false, describe(error))
                        : new Result(response.statusCode() / 100 == 2, "HTTP " + response.statusCode()));
    }

    private CompletableFuture<Result> tcp(CheckSpec spec) {
        int colon = spec.target().lastIndexOf(':');
        String host = spec.target().substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(spec.target().substring(colon + 1));
        int timeout = (int) Math.max(1, spec.timeout().toMillis());
        try {
            return CompletableFuture.supplyAsync(() -> {
                InetAddress address = allowed(host, spec.target());
                if (address == null) {
                    return Result.UNRESOLVED;
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, port), timeout);
                    return new Result(true, "connected");
                } catch (IOException | IllegalArgumentException e) {
                    return new Result(false, describe(e));
                }
            }, tcpPool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(Result.BUSY);
        }
    }
}
