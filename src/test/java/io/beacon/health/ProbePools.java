package io.beacon.health;

import io.beacon.background.BackgroundThreads;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** A {@link CheckProbe} on pools built the way the application builds them, shut down by {@link #close}. */
final class ProbePools implements AutoCloseable {

    private final ThreadPoolTaskExecutor http = BackgroundThreads.pool("test-check-http-", 2, 1000);
    private final ThreadPoolTaskExecutor tcp = BackgroundThreads.pool("test-check-tcp-", 4, 1000);
    final CheckProbe probe;

    ProbePools() {
        http.initialize();
        tcp.initialize();
        probe = new CheckProbe(http, tcp);
    }

    @Override
    public void close() {
        http.shutdown();
        tcp.shutdown();
    }
}
