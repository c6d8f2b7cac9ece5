package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.support.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Three members on the real clock: policies set on one member in force on the others, each active check
 * run by one member (counted by a local HTTP server) and taken over when its owner leaves, and outlier
 * reports to any member counting toward one breaker whose ejection every member sees. The last test stops
 * a member.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterStateIT {

    static final List<String> EXTRA = List.of("--beacon.outlier.sweep-interval=100ms",
            "--logging.level.org.infinispan.CLUSTER=INFO");
    static ClusterMember a;
    static ClusterMember b;
    static ClusterMember c;
    static HttpServer probes;
    static final AtomicInteger probed = new AtomicInteger();
    static final AtomicInteger status = new AtomicInteger(200);

    @BeforeAll
    static void formCluster() throws IOException {
        probes = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        probes.setExecutor(Executors.newFixedThreadPool(4));
        probes.createContext("/probe", ex -> {
            probed.incrementAndGet();
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        probes.start();
        List<Integer> ports = ClusterPorts.jgroups(3);
        a = ClusterMember.start("a", ports.get(0), ports, null, EXTRA);
        CompletableFuture<ClusterMember> fb = CompletableFuture.supplyAsync(
                () -> ClusterMember.start("b", ports.get(1), ports, null, EXTRA));
        CompletableFuture<ClusterMember> fc = CompletableFuture.supplyAsync(
                () -> ClusterMember.start("c", ports.get(2), ports, null, EXTRA));
        b = fb.join();
        c = fc.join();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (ClusterMember m : members()) {
                assertThat(Http.json(m.http.get("/actuator/health/readiness"))
                        .at("/components/cluster/details/size").asInt()).isEqualTo(3);
            }
        });
    }

    @AfterAll
    static void stop() {
        for (ClusterMember m : new ClusterMember[] {c, b, a}) {
            if (m != null) {
                m.close();
            }
        }
        if (probes != null) {
            probes.stop(0);
        }
    }

    static List<ClusterMember> members() {
        return List.of(a, b, c).stream().filter(ClusterMember::isRunning).toList();
    }

    static String registration(String service, String id, String version) {
        return """
                {"name":"%s","id":"%s","address":"10.0.0.1","port":8080,"version":"%s","leaseSeconds":600}"""
                .formatted(service, id, version);
    }

    static String checked(String service, String id) {
        return """
                {"name":"%s","id":"%s","address":"127.0.0.1","port":8080,"leaseSeconds":600,
                 "check":{"http":"http://127.0.0.1:%d/probe","interval":"500ms","timeout":"2s",
                 "failuresBeforeDown":2,"successesBeforeUp":2}}"""
                .formatted(service, id, probes.getAddress().getPort());
    }

    static String report(String service, String id, String outcome) {
        return """
                {"name":"%s","id":"%s","outcome":"%s"}""".formatted(service, id, outcome);
    }

    /** The member that owns an instance's check and breaker, as every member's topology says. */
    static String owner(String service, String id) {
        Set<String> seen = new HashSet<>();
        for (ClusterMember m : members()) {
            seen.add(String.valueOf(m.bean(KeyOwners.class).primary(InstanceKey.of(service, id))));
        }
        assertThat(seen).hasSize(1);
        return seen.iterator().next();
    }

    static ClusterMember member(String name) {
        return members().stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
    }

    static double metric(ClusterMember m, String line) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(line) + " (\\S+)$")
                .matcher(m.http.get("/actuator/prometheus").body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    @Order(1)
    void aPolicySetOnAIsInForceOnBAndCWhenThePutAnswers() {
        for (String v : List.of("v1", "v2")) {
            for (int i = 1; i <= 2; i++) {
                assertThat(b.http.post("/register", registration("pay", "pay-" + v + "-" + i, v)).statusCode())
                        .isEqualTo(201);
            }
        }
        // before the policy: C's round robin reaches both versions
        Set<String> before = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            before.add(Http.json(c.http.get("/discover/one?name=pay")).get("id").asString());
        }
        assertThat(before).hasSize(4);

        HttpResponse<String> put = a.http.put("/services/pay/policy", """
                {"strategy":"consistent_hash","split":[{"version":"v1","weight":0},{"version":"v2","weight":100}]}""");
        assertThat(put.statusCode()).isEqualTo(200);

        for (ClusterMember m : List.of(b, c)) {
            assertThat(Http.json(m.http.get("/services/pay/policy")).at("/strategy").asString()).as(m.name)
                    .isEqualTo("consistent_hash");
        }
        // C now requires the key the policy's strategy needs, and picks only v2, the same one per key
        HttpResponse<String> keyless = c.http.get("/discover/one?name=pay");
        assertThat(keyless.statusCode()).isEqualTo(400);
        assertThat(Http.json(keyless).at("/errors/0/field").asString()).isEqualTo("key");
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picks.add(Http.json(c.http.get("/discover/one?name=pay&key=user-7")).get("id").asString());
        }
        assertThat(picks).allMatch(id -> id.startsWith("pay-v2-")).containsOnly(picks.get(0));

        // removed through B: gone on every member, C balances round robin over both versions again
        assertThat(b.http.delete("/services/pay/policy").statusCode()).isEqualTo(204);
        for (ClusterMember m : members()) {
            assertThat(m.http.get("/services/pay/policy").body()).as(m.name).isEqualTo("{}");
        }
        Set<String> after = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            after.add(Http.json(c.http.get("/discover/one?name=pay")).get("id").asString());
        }
        assertThat(after).hasSize(4);
    }

    @Test
    @Order(2)
    void eachCheckRunsOnOneMemberAndEveryMemberAnswersTheSameStatus() {
        assertThat(a.http.post("/register", checked("probed", "p-1")).statusCode()).isEqualTo(201);
        InstanceKey key = InstanceKey.of("probed", "p-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> probed.get() >= 2);

        // 10 more probes at one every 500 ms take about 5 s; three members probing would take about 1.7 s
        int from = probed.get();
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> probed.get() >= from + 10);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(elapsed).isGreaterThan(Duration.ofMillis(3_500));
        String owner = owner("probed", "p-1");
        for (ClusterMember m : members()) {
            double runs = metric(m, "beacon_checks_total{result=\"passing\",type=\"http\"}");
            if (m.name.equals(owner)) {
                assertThat(runs).as(m.name).isGreaterThanOrEqualTo(10);
            } else {
                assertThat(runs).as(m.name).isZero();
            }
        }

        status.set(500); // two failures: DOWN on every member
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (ClusterMember m : members()) {
                assertThat(m.registry().get(key).orElseThrow().status()).as(m.name).isEqualTo(InstanceStatus.DOWN);
            }
        });
        for (ClusterMember m : members()) {
            assertThat(m.http.get("/discover?name=probed").body()).as(m.name).contains("\"count\":0");
        }
        // the last answer is shared with the progress: every member's catalog view names it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (ClusterMember m : members()) {
                assertThat(Http.json(m.http.get("/services/probed/instances/p-1")).at("/explanation/checkAnswer")
                        .asString()).as(m.name).isEqualTo("HTTP 500");
            }
        });
        status.set(200); // two successes: UP again everywhere
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (ClusterMember m : members()) {
                assertThat(m.registry().get(key).orElseThrow().status()).as(m.name).isEqualTo(InstanceStatus.UP);
            }
        });
        // the check's progress is shared: every member reads the same counts (saved after the status it
        // led to, so awaited)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (ClusterMember m : members()) {
                StoredCheckProgress progress = m.<StoredCheckProgress>stateCache(ClusterStateConfiguration.CHECKS)
                        .get("probed/p-1");
                assertThat(progress.successes()).as(m.name).isEqualTo(2);
                assertThat(progress.failures()).isZero();
                assertThat(progress.lastAnswer()).isEqualTo("HTTP 200");
            }
        });
    }

    @Test
    @Order(3)
    void reportsToEveryMemberCountTowardOneBreakerAndTheEjectionIsSeenEverywhere() {
        assertThat(a.http.put("/services/shop/policy",
                "{\"outlier\":{\"consecutiveFailures\":3,\"baseEjectionSeconds\":2,\"maxEjectionPercent\":50}}")
                .statusCode()).isEqualTo(200);
        for (int i = 1; i <= 3; i++) {
            assertThat(c.http.post("/register", registration("shop", "s-" + i, "v1")).statusCode()).isEqualTo(201);
        }
        InstanceKey key = InstanceKey.of("shop", "s-1");
        double ejectionsBefore = members().stream().mapToDouble(m -> metric(m, "beacon_ejections_total")).sum();

        JsonNode first = Http.json(a.http.post("/report", report("shop", "s-1", "failure")));
        assertThat(first.at("/results/0/ejected").asBoolean()).isFalse();
        JsonNode second = Http.json(b.http.post("/report", report("shop", "s-1", "failure")));
        assertThat(second.at("/results/0/ejected").asBoolean()).isFalse();
        JsonNode third = Http.json(c.http.post("/report", report("shop", "s-1", "failure")));
        assertThat(third.at("/results/0/breaker").asString()).isEqualTo("OPEN");
        assertThat(third.at("/results/0/ejected").asBoolean()).isTrue();
        assertThat(third.at("/results/0/ejectedUntil").asString()).isNotEmpty();

        // the ejection was replicated before the third report was answered
        for (ClusterMember m : members()) {
            assertThat(m.registry().get(key).orElseThrow().state().ejected()).as(m.name).isTrue();
            assertThat(Http.json(m.http.get("/discover?name=shop")).at("/count").asInt()).as(m.name).isEqualTo(2);
        }
        // reports during the ejection, to any member, are not recorded by the open breaker
        JsonNode ignored = Http.json(b.http.post("/report", report("shop", "s-1", "failure")));
        assertThat(ignored.at("/results/0/recorded").asBoolean()).isFalse();
        assertThat(ignored.at("/results/0/ejected").asBoolean()).isTrue();
        assertThat(members().stream().mapToDouble(m -> metric(m, "beacon_ejections_total")).sum())
                .isEqualTo(ejectionsBefore + 1);

        // the owner's sweep ends the ejection; every member sees the end together
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> members().stream()
                .anyMatch(m -> !m.registry().get(key).orElseThrow().state().ejected()));
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
            for (ClusterMember m : members()) {
                assertThat(m.registry().get(key).orElseThrow().state().ejected()).as(m.name).isFalse();
            }
        });
        for (ClusterMember m : members()) {
            StoredEjection shared = m.<StoredEjection>stateCache(ClusterStateConfiguration.EJECTIONS).get("shop/s-1");
            assertThat(shared.ejections()).as(m.name).isEqualTo(1);
            assertThat(shared.isEjected()).isFalse();
            assertThat(metric(m, "beacon_cluster_reports_unrouted_total")).as(m.name).isZero();
        }
    }

    @Test
    @Order(4)
    void whenTheOwnerLeavesItsChecksAndEjectionsAreTakenOverByASurvivor() {
        String owner = owner("probed", "p-1");
        // an instance of another service whose breaker the same member owns, ejected for 4 s
        String id = null;
        for (int i = 0; id == null; i++) {
            if (owner("vault", "v-" + i).equals(owner)) {
                id = "v-" + i;
            }
        }
        assertThat(a.http.put("/services/vault/policy",
                "{\"outlier\":{\"consecutiveFailures\":1,\"baseEjectionSeconds\":4,\"maxEjectionPercent\":50}}")
                .statusCode()).isEqualTo(200);
        assertThat(a.http.post("/register", registration("vault", id, "v1")).statusCode()).isEqualTo(201);
        assertThat(a.http.post("/register", registration("vault", "other", "v1")).statusCode()).isEqualTo(201);
        JsonNode ejected = Http.json(a.http.post("/report", report("vault", id, "failure")));
        assertThat(ejected.at("/results/0/ejected").asBoolean()).isTrue();
        InstanceKey vault = InstanceKey.of("vault", id);

        ClusterMember leaving = member(owner);
        leaving.close();
        assertThat(leaving.isRunning()).isFalse();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (ClusterMember m : members()) {
                assertThat(m.cache().getCacheManager().getMembers()).as(m.name + " view").hasSize(2);
            }
        });
        String next = owner("probed", "p-1");
        assertThat(next).isNotEqualTo(owner);
        for (ClusterMember m : members()) { // the survivors write on their own
            assertThat(m.http.post("/register", registration("after", m.name, "v1")).statusCode()).as(m.name)
                    .isEqualTo(201);
        }

        // the survivor's next rounds probe the endpoint, once per interval
        int from = probed.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> probed.get() >= from + 2);
        int resumed = probed.get();
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> probed.get() >= resumed + 6);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(2_000));
        for (ClusterMember m : members()) {
            assertThat(m.registry().get(InstanceKey.of("probed", "p-1")).orElseThrow().status()).as(m.name)
                    .isEqualTo(InstanceStatus.UP);
        }

        // the ejection the leaver started is ended by the survivor that owns the breaker now
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (ClusterMember m : members()) {
                Instance instance = m.registry().get(vault).orElseThrow();
                assertThat(instance.state().ejected()).as(m.name).isFalse();
            }
        });
    }
}
