package io.beacon.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.CheckSpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The probes do real I/O against real local servers. */
class CheckProbeTest {

    static TestServers servers;
    static ProbePools pools;
    static CheckProbe probe;

    @BeforeAll
    static void start() {
        servers = new TestServers();
        pools = new ProbePools();
        probe = pools.probe;
    }

    @AfterAll
    static void stop() {
        pools.close();
        servers.close();
    }

    static CheckSpec http(String url, Duration timeout) {
        return new CheckSpec(CheckSpec.Type.HTTP, url, Duration.ofSeconds(10), timeout, 3, 1);
    }

    static CheckSpec tcp(int port) {
        return new CheckSpec(CheckSpec.Type.TCP, "127.0.0.1:" + port, Duration.ofSeconds(10), Duration.ofSeconds(2), 3, 1);
    }

    static boolean run(CheckSpec spec) throws Exception {
        return probe.probe(spec).get(10, TimeUnit.SECONDS);
    }

    static CheckProbe.Result result(CheckSpec spec) throws Exception {
        return probe.run(spec).get(10, TimeUnit.SECONDS);
    }

    @Test
    void theResultNamesWhatTheTargetAnswered() throws Exception {
        assertThat(result(http(servers.url("/ok"), Duration.ofSeconds(2)))).isEqualTo(new CheckProbe.Result(true, "HTTP 200"));
        assertThat(result(http(servers.url("/fail"), Duration.ofSeconds(2)))).isEqualTo(new CheckProbe.Result(false, "HTTP 500"));
        assertThat(result(http("http://127.0.0.1:" + TestServers.closedPort() + "/health", Duration.ofSeconds(2))))
                .isEqualTo(new CheckProbe.Result(false, "connection refused"));
        assertThat(result(http(servers.url("/hang"), Duration.ofMillis(300)))).isEqualTo(new CheckProbe.Result(false, "timed out"));
        assertThat(result(tcp(TestServers.closedPort()))).isEqualTo(new CheckProbe.Result(false, "connection refused"));
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(result(tcp(socket.getLocalPort()))).isEqualTo(new CheckProbe.Result(true, "connected"));
        }
    }

    @Test
    void http200Passes() throws Exception {
        assertThat(run(http(servers.url("/ok"), Duration.ofSeconds(2)))).isTrue();
    }

    @Test
    void http500Fails() throws Exception {
        assertThat(run(http(servers.url("/fail"), Duration.ofSeconds(2)))).isFalse();
    }

    @Test
    void httpThatHangsFailsWithinTheTimeout() throws Exception {
        long start = System.nanoTime();
        assertThat(run(http(servers.url("/hang"), Duration.ofMillis(300)))).isFalse();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMillis).isGreaterThanOrEqualTo(250).isLessThan(5_000);
    }

    @Test
    void httpToARefusedPortFails() throws Exception {
        assertThat(run(http("http://127.0.0.1:" + TestServers.closedPort() + "/health", Duration.ofSeconds(2)))).isFalse();
    }

    @Test
    void tcpToAListeningSocketPasses() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            assertThat(run(tcp(socket.getLocalPort()))).isTrue();
        }
    }

    @Test
    void tcpToAClosedPortFails() throws Exception {
        assertThat(run(tcp(TestServers.closedPort()))).isFalse();
    }

    /**
     * A probe resolves its target and refuses a forbidden address before connecting: a connect to a
     * black-holed metadata address would instead take the whole 10 s timeout.
     */
    @Test
    void probesOfLinkLocalOrMetadataAddressesFailWithoutConnecting() throws Exception {
        for (CheckSpec spec : new CheckSpec[] {
                http("http://169.254.169.254/latest/meta-data/", Duration.ofSeconds(10)),
                http("http://[fd00:ec2::254]/latest/meta-data/", Duration.ofSeconds(10)),
                new CheckSpec(CheckSpec.Type.TCP, "[::ffff:169.254.169.254]:80", Duration.ofSeconds(10),
                        Duration.ofSeconds(10), 3, 1)}) {
            long start = System.nanoTime();
            assertThat(run(spec)).as(spec.target()).isFalse();
            assertThat((System.nanoTime() - start) / 1_000_000).as(spec.target()).isLessThan(5_000);
        }
    }
}
