package io.beacon.xds;

import io.grpc.ServerServiceDefinition;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The xDS gRPC server: started with the context (after every bean exists), stopped before the registry goes.
 * {@link #port()} is the port it bound, for {@code beacon.xds.port=0}.
 */
final class XdsServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(XdsServer.class);

    private final String address;
    private final int port;
    private final ServerServiceDefinition service;
    private final Runnable warmUp;
    private volatile Server server;

    /** @param warmUp run before listening: builds one resource of each type, so the first client waits for none */
    XdsServer(String address, int port, ServerServiceDefinition service, Runnable warmUp) {
        this.address = address;
        this.port = port;
        this.service = service;
        this.warmUp = warmUp;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        warmUp.run();
        InetSocketAddress bind = address.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(address, port);
        try {
            // requests (ACKs, NACKs, subscription changes) are handled on the connection's event loop: their
            // handlers never block (the registry and policies are in memory), so each saves a hand-off to an
            // executor thread and its wake-up
            server = NettyServerBuilder.forAddress(bind).directExecutor().addService(service)
                    .permitKeepAliveTime(10, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true)
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("The xDS server could not listen on " + bind, e);
        }
        log.info("xDS (ADS) server listening on {}", server.getListenSockets());
    }

    @Override
    public synchronized void stop() {
        Server running = server;
        if (running == null) {
            return;
        }
        server = null;
        running.shutdown();
        try {
            if (!running.awaitTermination(2, TimeUnit.SECONDS)) {
                running.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The port the server listens on; -1 while it is not running. */
    int port() {
        Server running = server;
        return running == null ? -1 : running.getPort();
    }
}
