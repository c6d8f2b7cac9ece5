package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.registry.InstanceKey;
import io.beacon.support.Http;
import io.beacon.support.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Helm upgrade path: three members restarted one at a time (stopped gracefully, started again with the
 * same name and ports, waited for until ready) while registrations and discovery requests go to the members
 * that are up. No acknowledged registration is lost, and no discovery answer is a 5xx. A shared clock that
 * does not move keeps leases from lapsing meanwhile.
 */
@Tag("cluster")
class ClusterRollingRestartIT {

    private final MutableClock clock = new MutableClock();
    private final Map<String, ClusterMember> members = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        members.values().forEach(ClusterMember::close);
    }

    @Test
    void restartingEveryMemberInTurnLosesNoAcknowledgedRegistrationAndDiscoveryNeverAnswers5xx() throws Exception {
        List<Integer> ports = ClusterPorts.jgroups(3);
        List<String> names = List.of("a", "b", "c");
        members.put("a", ClusterMember.start("a", ports.get(0), ports, clock, List.of()));
        CompletableFuture<ClusterMember> fb = CompletableFuture.supplyAsync(
                () -> ClusterMember.start("b", ports.get(1), ports, clock, List.of()));
        CompletableFuture<ClusterMember> fc = CompletableFuture.supplyAsync(
                () -> ClusterMember.start("c", ports.get(2), ports, clock, List.of()));
        members.put("b", fb.join());
        members.put("c", fc.join());
        awaitMembers(3);

        List<ClusterMember> up = new CopyOnWriteArrayList<>(members.values());
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Queue<String> serverErrors = new ConcurrentLinkedQueue<>();
        AtomicInteger discovered = new AtomicInteger();
        AtomicBoolean run = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(3);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        for (int t = 0; t < 2; t++) {
            int thread = t;
            load.submit(() -> {
                for (int n = 0; run.get() && System.nanoTime() < deadline; n++) {
                    ClusterMember m = up.get(n % up.size());
                    String id = "r" + thread + "-" + n;
                    try {
                        HttpResponse<String> r = m.http.post("/register",
                                "{\"name\":\"rolling\",\"id\":\"" + id + "\",\"address\":\"10.5.0.1\",\"port\":8080}");
                        if (r.statusCode() == 201) {
                            acknowledged.add(id);
                        }
                    } catch (RuntimeException e) {
                        // the member stopped under the request: not acknowledged, the client would retry
                    }
                }
            });
        }
        load.submit(() -> {
            for (int n = 0; run.get() && System.nanoTime() < deadline; n++) {
                ClusterMember m = up.get(n % up.size());
                try {
                    HttpResponse<String> r = m.http.get("/discover?name=rolling");
                    if (r.statusCode() >= 500) {
                        serverErrors.add(m.name + ": " + r.statusCode() + " " + r.body());
                    } else {
                        discovered.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    // a member stopping under the request closes the connection; not an answer
                }
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 50);

        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            ClusterMember old = members.get(name);
            up.remove(old);
            old.close();
            int before = acknowledged.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= before + 20);
            ClusterMember restarted = ClusterMember.start(name, ports.get(i), ports, clock, List.of());
            members.put(name, restarted);
            awaitMembers(3);
            up.add(restarted);
            int after = acknowledged.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= after + 20);
        }
        run.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        assertThat(serverErrors).isEmpty();
        assertThat(discovered.get()).isGreaterThan(100);
        assertThat(acknowledged).hasSizeGreaterThan(150);
        for (ClusterMember m : members.values()) {
            for (String id : acknowledged) {
                assertThat(m.registry().get(InstanceKey.of("rolling", id))).as(m.name + " holds " + id).isPresent();
            }
        }
    }

    private void awaitMembers(int count) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (ClusterMember m : members.values()) {
                if (m.isRunning()) {
                    HttpResponse<String> ready = m.http.get("/actuator/health/readiness");
                    assertThat(ready.statusCode()).as(m.name + " ready").isEqualTo(200);
                    assertThat(Http.json(ready).at("/components/cluster/details/size").asInt()).isEqualTo(count);
                }
            }
        });
    }
}
