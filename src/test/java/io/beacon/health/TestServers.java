package io.beacon.health;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real local servers for check tests, all on 127.0.0.1: an HTTP server whose {@code /ok} answers 200,
 * {@code /fail} 500, {@code /hang} never answers (until closed), and {@code /toggle} answers the status
 * held in {@link #toggle}; and a port nothing listens on.
 */
final class TestServers implements AutoCloseable {

    final HttpServer http;
    final AtomicInteger toggle = new AtomicInteger(200);
    private final CountDownLatch release = new CountDownLatch(1);

    TestServers() {
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.setExecutor(Executors.newCachedThreadPool());
        http.createContext("/ok", ex -> respond(ex, 200));
        http.createContext("/fail", ex -> respond(ex, 500));
        http.createContext("/toggle", ex -> respond(ex, toggle.get()));
        http.createContext("/hang", ex -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(ex, 200);
        });
        http.start();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    /** A port that was free a moment ago and has nothing listening on it. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        release.countDown();
        http.stop(0);
    }
}
