package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.support.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kill -9 of the coordinator (the expiry role holder, its own JVM, killed outright: no leave message)
 * while instances heartbeat through the two survivors: batches whose keys the dead member owned fail
 * mid-way and are retried. Afterwards expiry runs on the new holder, marks lapsed instances STALE on
 * every survivor, the survivors' copies are equal key by key, and no compare-and-set loop keeps spinning.
 */
@Tag("cluster")
class ClusterFaultIT {

    /** Short leases so that expiry is observable in seconds; nothing is evicted during the test. */
    static final List<String> LEASES = List.of("--beacon.lease.duration=4s", "--beacon.lease.min-duration=1s",
            "--beacon.lease.evict-after=10m", "--beacon.sweep.interval=500ms", "--beacon.sweep.warm-up=0s");

    private ExternalMember c;
    private ClusterMember a;
    private ClusterMember b;

    @AfterEach
    void stop() throws InterruptedException {
        if (c != null && c.isAlive()) {
            c.kill();
        }
        for (ClusterMember m : new ClusterMember[] {b, a}) {
            if (m != null) {
                m.close();
            }
        }
    }

    @Test
    void expiryKeepsMarkingLapsedInstancesStaleAndReplicasConvergeAfterTheRoleHolderIsKilled() throws Exception {
        List<Integer> ports = ClusterPorts.jgroups(3);
        Path logs = Files.createDirectories(Path.of("target", "cluster-logs"));
        c = ExternalMember.start("c", ClusterPorts.http(), ports.get(2), ports, logs.resolve("fault-member-c.log"), LEASES);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(c::ready);
        a = ClusterMember.start("a", ports.get(0), ports, null, LEASES);
        b = ClusterMember.start("b", ports.get(1), ports, null, LEASES);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (ClusterMember m : List.of(a, b)) {
                var details = Http.json(m.http.get("/actuator/health")).at("/components/cluster/details");
                assertThat(details.at("/size").asInt()).isEqualTo(3);
                assertThat(details.at("/expiryHolder").asString()).isEqualTo("c");
            }
        });

        List<String> beating = new ArrayList<>();
        List<String> lapsing = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = "h-" + i;
            beating.add(id);
            assertThat((i % 2 == 0 ? a : b).http.post("/register", registration(id)).statusCode()).isEqualTo(201);
        }
        for (int i = 0; i < 5; i++) {
            String id = "lapse-" + i;
            lapsing.add(id);
            assertThat(a.http.post("/register", registration(id)).statusCode()).isEqualTo(201);
        }

        AtomicBoolean run = new AtomicBoolean(true);
        AtomicInteger acknowledged = new AtomicInteger();
        ExecutorService heartbeaters = Executors.newFixedThreadPool(4);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (int t = 0; t < 4; t++) {
            ClusterMember through = t % 2 == 0 ? a : b;
            int thread = t;
            heartbeaters.submit(() -> {
                for (int n = 0; run.get() && System.nanoTime() < deadline; n++) {
                    String id = beating.get((thread + 4 * n) % beating.size());
                    try {
                        if (through.http.put("/heartbeat/fault/" + id, null).statusCode() == 200) {
                            acknowledged.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        // a heartbeat refused while the view changes: the next one renews
                    }
                }
            });
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.get() >= 500);
        c.kill();

        // the role moves to the oldest survivor, and both survivors say so
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (ClusterMember m : List.of(a, b)) {
                var details = Http.json(m.http.get("/actuator/health")).at("/components/cluster/details");
                assertThat(details.at("/size").asInt()).isEqualTo(2);
                assertThat(details.at("/expiryHolder").asString()).isEqualTo("a");
            }
        });
        assertThat(scrape(a)).contains("beacon_cluster_role{role=\"expiry\"} 1.0");
        assertThat(scrape(b)).contains("beacon_cluster_role{role=\"expiry\"} 0.0");

        // lapsed instances turn STALE on both survivors, heartbeating ones stay UP
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (ClusterMember m : List.of(a, b)) {
                for (String id : lapsing) {
                    assertThat(status(m, id)).as(m.name + " " + id).isEqualTo(InstanceStatus.STALE);
                }
            }
        });
        int before = acknowledged.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.get() > before + 200);
        for (ClusterMember m : List.of(a, b)) {
            for (String id : beating) {
                assertThat(status(m, id)).as(m.name + " " + id).isEqualTo(InstanceStatus.UP);
            }
        }

        // heartbeats stop: every instance lapses and turns STALE on both, and the copies agree key by key
        run.set(false);
        heartbeaters.shutdown();
        assertThat(heartbeaters.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (ClusterMember m : List.of(a, b)) {
                for (String id : beating) {
                    assertThat(status(m, id)).as(m.name + " " + id).isEqualTo(InstanceStatus.STALE);
                }
            }
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String id : concat(beating, lapsing)) {
                String key = "fault/" + id;
                assertThat(a.cache().get(key)).as(key).isEqualTo(b.cache().get(key));
                assertThat(a.registry().get(InstanceKey.of("fault", id)))
                        .isEqualTo(b.registry().get(InstanceKey.of("fault", id)));
            }
        });
        // quiet: no write keeps being retried (the runaway loop replicated thousands of writes a second)
        double replicated = count(a, "beacon_cluster_replication_seconds_count");
        double retries = count(a, "beacon_cluster_cas_retries_total");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                count(a, "beacon_cluster_replication_seconds_count") == replicated
                        && count(a, "beacon_cluster_cas_retries_total") == retries);
    }

    private static String registration(String id) {
        return "{\"name\":\"fault\",\"id\":\"" + id + "\",\"address\":\"10.2.0.1\",\"port\":8080,\"leaseSeconds\":4}";
    }

    private static InstanceStatus status(ClusterMember m, String id) {
        return m.registry().get(InstanceKey.of("fault", id)).map(Instance::status).orElse(null);
    }

    private static List<String> concat(List<String> x, List<String> y) {
        List<String> all = new ArrayList<>(x);
        all.addAll(y);
        return all;
    }

    static String scrape(ClusterMember m) {
        return m.http.get("/actuator/prometheus").body();
    }

    static double count(ClusterMember m, String series) {
        return scrape(m).lines().filter(l -> l.startsWith(series + " ") || l.startsWith(series + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
