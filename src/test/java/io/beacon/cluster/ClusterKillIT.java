package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.support.Http;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kill -9 of a member (its own JVM) under a continuous stream of registrations and heartbeats sent to
 * it: every write it acknowledged is on the two survivors; restarted, it rejoins with the full state.
 */
@Tag("cluster")
class ClusterKillIT {

    private ClusterMember a;
    private ClusterMember b;
    private ExternalMember c;
    private ExternalMember restarted;

    @AfterEach
    void stop() throws InterruptedException {
        for (ExternalMember m : new ExternalMember[] {c, restarted}) {
            if (m != null && m.isAlive()) {
                m.kill();
            }
        }
        for (ClusterMember m : new ClusterMember[] {b, a}) {
            if (m != null) {
                m.close();
            }
        }
    }

    @Test
    void acknowledgedWritesSurviveAKilledMemberWhichRejoinsWithFullState() throws Exception {
        List<Integer> ports = ClusterPorts.jgroups(3);
        Path logs = Files.createDirectories(Path.of("target", "cluster-logs"));
        int cHttp = ClusterPorts.http();
        c = ExternalMember.start("c", cHttp, ports.get(2), ports, logs.resolve("member-c.log"));
        a = ClusterMember.start("a", ports.get(0), ports, null, List.of());
        b = ClusterMember.start("b", ports.get(1), ports, null, List.of());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(c::ready);
        await().atMost(Duration.ofSeconds(60)).until(() -> a.registry().size() == 0
                && Http.json(a.http.get("/actuator/health")).at("/components/cluster/details/size").asInt() == 3);

        Map<InstanceKey, Instant> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger writes = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            writers.submit(() -> {
                for (int n = 0; System.nanoTime() < deadline; n++) {
                    try {
                        String id = "t" + thread + "-" + (n / 2);
                        HttpResponse<String> r = n % 2 == 0
                                ? c.http.post("/register", "{\"name\":\"stream\",\"id\":\"" + id
                                        + "\",\"address\":\"10.1.0.1\",\"port\":" + (1000 + n) + "}")
                                : c.http.put("/heartbeat/stream/" + id, null);
                        if (r.statusCode() / 100 == 2) {
                            // both the registration and the heartbeat answer carry the lease's last renewal
                            Instant renewed = Instant.parse(Http.json(r).at("/lastHeartbeat").asString());
                            acknowledged.put(InstanceKey.of("stream", id), renewed);
                            writes.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        return; // the member is gone
                    }
                }
            });
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> writes.get() >= 100);
        c.kill();
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(40);
        for (ClusterMember survivor : List.of(a, b)) {
            for (Map.Entry<InstanceKey, Instant> write : acknowledged.entrySet()) {
                Instance held = survivor.registry().get(write.getKey()).orElse(null);
                assertThat(held).as(survivor.name + " holds " + write.getKey()).isNotNull();
                assertThat(held.lease().lastRenewedAt()).as("renewal of " + write.getKey())
                        .isAfterOrEqualTo(write.getValue());
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.json(a.http.get("/actuator/health")).at("/components/cluster/details/size").asInt() == 2);
        // survivors keep serving reads and writes
        assertThat(b.http.put("/heartbeat/stream/t0-0", null).statusCode()).isEqualTo(200);

        restarted = ExternalMember.start("c", cHttp, ports.get(2), ports, logs.resolve("member-c-restarted.log"));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(restarted::ready);
        var health = Http.json(restarted.http.get("/actuator/health/readiness")).at("/components/cluster/details");
        assertThat(health.at("/hasState").asBoolean()).isTrue();
        // the rejoined member's view re-syncs with the cache after the rebalance that made it ready: its count
        // must match the survivors' once that pass is through, within seconds
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Http.json(
                restarted.http.get("/actuator/health/readiness")).at("/components/cluster/details/instances").asInt())
                .isEqualTo(a.registry().size()));
        // leases lapse while the member restarts (nothing heartbeats since the kill), so an instance may turn
        // STALE between the two reads: the views must agree once they have converged, within seconds
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(Http.json(restarted.http.get("/discover?name=stream")).at("/count").asInt())
                        .isEqualTo(a.registry().service(io.beacon.registry.ServiceName.of("stream"))
                                .discoverable().size()));
    }
}
