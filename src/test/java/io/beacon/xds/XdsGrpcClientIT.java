package io.beacon.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * A real proxyless gRPC client (grpc-java with grpc-xds, {@code xds:///NAME} targets) against Beacon's xDS
 * server, calling three real gRPC servers registered through Beacon's native API: weights, the version split
 * and its header, drains, deregistrations and new instances, a client that starts before its service, and the
 * strategies gRPC must accept. Every test ends with no response rejected by the client.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "beacon.xds.enabled=true", "beacon.xds.port=0"})
@Import(TestClockConfiguration.class)
class XdsGrpcClientIT {

    static final Duration PROPAGATION = Duration.ofSeconds(1);
    /** A new channel's first resolution (LDS, RDS, CDS, EDS, connections) on a busy two-core machine. */
    static final Duration FIRST_RESOLUTION = Duration.ofSeconds(30);
    static EchoServers servers;
    static int portA;
    static int portB;
    static int portC;

    @LocalServerPort
    int port;

    @Autowired
    XdsServer xds;

    @Autowired
    MeterRegistry meters;

    Http http;
    ManagedChannel channel;

    @BeforeAll
    static void startServers() {
        servers = new EchoServers();
        portA = servers.start("a");
        portB = servers.start("b");
        portC = servers.start("c");
    }

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @AfterEach
    void noRejections() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        double nacks = meters.find("beacon.xds.nacks").counters().stream().mapToDouble(c -> c.count()).sum();
        assertThat(nacks).as("responses the gRPC client rejected").isZero();
    }

    Http http() {
        if (http == null) {
            http = new Http(port);
        }
        return http;
    }

    void register(String service, String id, int port, int weight, String version) {
        String body = "{\"name\":\"" + service + "\",\"id\":\"" + id + "\",\"address\":\"127.0.0.1\",\"port\":" + port
                + ",\"weight\":" + weight + (version == null ? "" : ",\"version\":\"" + version + "\"") + "}";
        assertThat(http().post("/register", body).statusCode()).isIn(200, 201);
    }

    void policy(String service, String json) {
        assertThat(http().put("/services/" + service + "/policy", json).statusCode()).isEqualTo(200);
    }

    /** Counts which server answered {@code calls} calls. */
    Map<String, Integer> spread(int calls, String versionHeader) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int n = 0; n < calls; n++) {
            counts.merge(EchoServers.who(channel, versionHeader), 1, Integer::sum);
        }
        return counts;
    }

    /** Waits until calls reach exactly these servers (a window of calls sees them all and no other). */
    void awaitServedBy(Duration within, Set<String> expected) {
        String[] last = {"no call yet"};
        await().atMost(within).pollInterval(Duration.ofMillis(20))
                .conditionEvaluationListener(c -> {
                    if (c.getRemainingTimeInMS() <= 0) {
                        System.err.println("calls not served by " + expected + " in time; last: " + last[0]);
                    }
                })
                .until(() -> {
                    try {
                        Map<String, Integer> counts = spread(expected.size() * 15, null);
                        Set<String> seen = counts.keySet();
                        last[0] = seen.toString();
                        return seen.equals(expected);
                    } catch (StatusRuntimeException e) {
                        last[0] = e.getStatus().toString();
                        return false;
                    }
                });
    }

    @Test
    void weightsThreeToOneToOneReachEveryServerInProportion() {
        register("weighted", "a", portA, 300, null);
        register("weighted", "b", portB, 100, null);
        register("weighted", "c", portC, 100, null);
        policy("weighted", "{\"strategy\":\"weighted\"}");
        channel = EchoServers.xdsChannel("Weighted", xds.port(), "weights");

        awaitServedBy(FIRST_RESOLUTION, Set.of("a", "b", "c"));
        Map<String, Integer> counts = spread(5000, null);

        assertThat(counts.get("a") / 5000.0).as("a, weight 300 of 500: %s", counts).isBetween(0.55, 0.65);
        assertThat(counts.get("b") / 5000.0).as("b, weight 100 of 500: %s", counts).isBetween(0.15, 0.25);
        assertThat(counts.get("c") / 5000.0).as("c, weight 100 of 500: %s", counts).isBetween(0.15, 0.25);
    }

    @Test
    void versionSplitSendsNinetyTenAndTheVersionHeaderAlwaysReachesItsSubset() {
        register("canary", "a", portA, 100, "v1");
        register("canary", "b", portB, 100, "v1");
        register("canary", "c", portC, 100, "v2");
        policy("canary", "{\"split\":[{\"version\":\"v1\",\"weight\":90},{\"version\":\"v2\",\"weight\":10}]}");
        channel = EchoServers.xdsChannel("canary", xds.port(), "split");

        awaitServedBy(FIRST_RESOLUTION, Set.of("a", "b", "c"));
        Map<String, Integer> counts = spread(5000, null);
        double v2 = counts.getOrDefault("c", 0) / 5000.0;
        assertThat(v2).as("share of v2 (c): %s", counts).isBetween(0.07, 0.13);

        Map<String, Integer> pinned = spread(200, "v2");
        assertThat(pinned).as("calls with header version: v2").isEqualTo(Map.of("c", 200));
    }

    @Test
    void drainsDeregistrationsAndNewInstancesReachTheClientWithinASecond() {
        register("lifecycle", "a", portA, 100, null);
        register("lifecycle", "b", portB, 100, null);
        register("lifecycle", "c", portC, 100, null);
        channel = EchoServers.xdsChannel("lifecycle", xds.port(), "lifecycle");
        awaitServedBy(FIRST_RESOLUTION, Set.of("a", "b", "c"));

        assertThat(http().put("/services/lifecycle/instances/a/status", "{\"status\":\"OUT_OF_SERVICE\"}")
                .statusCode()).isEqualTo(200);
        awaitServedBy(PROPAGATION, Set.of("b", "c"));

        assertThat(http().delete("/deregister/lifecycle/a").statusCode()).isEqualTo(204);
        assertThat(http().delete("/deregister/lifecycle/b").statusCode()).isEqualTo(204);
        awaitServedBy(PROPAGATION, Set.of("c"));
        assertThat(spread(300, null)).as("the one instance left takes every call").isEqualTo(Map.of("c", 300));

        register("lifecycle", "a", portA, 100, null);
        awaitServedBy(PROPAGATION, Set.of("a", "c"));
    }

    @Test
    void aClientStartedBeforeItsServiceIsServedWithinASecondOfTheRegistration() {
        channel = EchoServers.xdsChannel("Late", xds.port(), "early-bird");
        channel.getState(true);
        assertThat(catchFailure()).as("no instance yet").isTrue();

        register("late", "b", portB, 100, null);
        awaitServedBy(PROPAGATION, Set.of("b"));
    }

    private boolean catchFailure() {
        try {
            EchoServers.who(channel);
            return false;
        } catch (StatusRuntimeException e) {
            return true;
        }
    }

    @Test
    void randomIsAcceptedAndSpreadsOverEveryInstance() {
        register("rand", "a", portA, 100, null);
        register("rand", "b", portB, 100, null);
        register("rand", "c", portC, 100, null);
        policy("rand", "{\"strategy\":\"random\"}");
        channel = EchoServers.xdsChannel("rand", xds.port(), "random");

        awaitServedBy(FIRST_RESOLUTION, Set.of("a", "b", "c"));
        Map<String, Integer> counts = spread(3000, null);
        counts.values().forEach(n -> assertThat(n / 3000.0).as("%s", counts).isBetween(0.28, 0.39));
    }

    @Test
    void consistentHashKeepsOneKeyOnOneInstanceAndLeastConnectionsIsAccepted() {
        register("sticky", "a", portA, 100, null);
        register("sticky", "b", portB, 100, null);
        register("sticky", "c", portC, 100, null);
        policy("sticky", "{\"strategy\":\"least_connections\"}");
        channel = EchoServers.xdsChannel("sticky", xds.port(), "least");
        awaitServedBy(FIRST_RESOLUTION, Set.of("a", "b", "c"));

        policy("sticky", "{\"strategy\":\"consistent_hash\"}");
        io.grpc.Metadata.Key<String> hashKey = io.grpc.Metadata.Key.of("x-hash-key", io.grpc.Metadata.ASCII_STRING_MARSHALLER);
        Set<String> owners = new HashSet<>();
        await().atMost(FIRST_RESOLUTION).ignoreException(StatusRuntimeException.class).until(() -> {
            // once the ring is in force, every call with one key reaches one instance
            Set<String> forKey = new HashSet<>();
            for (int n = 0; n < 30; n++) {
                forKey.add(EchoServers.who(channel, hashKey, "customer-42"));
            }
            return forKey.size() == 1;
        });
        for (int key = 0; key < 60; key++) {
            Set<String> forKey = new HashSet<>();
            for (int n = 0; n < 5; n++) {
                forKey.add(EchoServers.who(channel, hashKey, "customer-" + key));
            }
            assertThat(forKey).as("instances reached by key customer-%d", key).hasSize(1);
            owners.addAll(forKey);
        }
        assertThat(owners).as("the keys spread over the ring").hasSizeGreaterThan(1);
    }
}
