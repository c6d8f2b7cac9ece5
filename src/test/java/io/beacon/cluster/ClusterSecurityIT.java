package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.beacon.support.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Three members sharing a cluster secret form an authenticated, encrypted cluster; a fourth JVM-like member
 * that knows their JGroups addresses but holds another secret stays outside: the view stays at three, the
 * three members' registry is unchanged, and the fourth sees none of it.
 */
@Tag("cluster")
class ClusterSecurityIT {

    static final String SECRET = "correct-horse-battery-staple-42";
    /** Merge attempts every 1 to 3 s, so the test sees several of them refused in 10 s (the default: 10 to 30 s). */
    static final String MERGE_INTERVAL = "--beacon.cluster.merge-interval=3s";
    /** Leases do not lapse while the test waits out the merge attempts. */
    static final MutableClock clock = new MutableClock();
    static List<Integer> ports;
    static ClusterMember a;
    static ClusterMember b;
    static ClusterMember c;

    @BeforeAll
    static void formCluster() {
        ports = ClusterPorts.jgroups(4);
        List<String> secret = List.of("--beacon.cluster.security.secret=" + SECRET, MERGE_INTERVAL);
        a = ClusterMember.start("a", ports.get(0), ports, clock, secret);
        CompletableFuture<ClusterMember> fb = CompletableFuture.supplyAsync(() -> ClusterMember.start("b", ports.get(1), ports, clock, secret));
        CompletableFuture<ClusterMember> fc = CompletableFuture.supplyAsync(() -> ClusterMember.start("c", ports.get(2), ports, clock, secret));
        b = fb.join();
        c = fc.join();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (ClusterMember m : List.of(a, b, c)) {
                assertThat(viewSize(m)).as(m.name).isEqualTo(3);
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
    }

    static int viewSize(ClusterMember m) {
        return Http.json(m.http.get("/actuator/health/readiness")).at("/components/cluster/details/size").asInt();
    }

    @Test
    void membersWithTheSecretReplicateAndAMemberWithAnotherSecretStaysOutside() {
        String body = """
                {"name":"payments","id":"pay-1","address":"10.0.0.7","port":8443}""";
        assertThat(a.http.post("/register", body).statusCode()).isEqualTo(201);
        for (ClusterMember m : List.of(b, c)) {
            assertThat(Http.json(m.http.get("/discover?name=payments")).at("/services/0/address").asString())
                    .as(m.name).isEqualTo("10.0.0.7");
        }
        List<String> before = snapshots();

        ClusterMember intruder = null;
        try {
            try {
                intruder = ClusterMember.start("d", ports.get(3), ports, clock, List.of(
                        "--beacon.cluster.security.secret=another-secret-of-some-length", MERGE_INTERVAL));
            } catch (RuntimeException refused) {
                // a rejected join may also fail the intruder's start: it is outside either way
                intruder = null;
            }
            if (intruder != null) {
                ClusterMember d = intruder;
                assertThat(viewSize(d)).isEqualTo(1);
                assertThat(Http.json(d.http.get("/discover?name=payments")).at("/count").asInt()).isZero();
                // what it writes stays with it: the intruder's hijack attempt reaches nobody
                assertThat(d.http.post("/register", """
                        {"name":"payments","id":"pay-1","address":"6.6.6.6","port":8443}""").statusCode()).isEqualTo(201);
            }
            // merge attempts (MERGE3, every 1-3 s here) are refused too: the view stays at three throughout
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (ClusterMember m : List.of(a, b, c)) {
                    assertThat(viewSize(m)).as(m.name).isEqualTo(3);
                }
            });
            assertThat(snapshots()).isEqualTo(before);
            if (intruder != null) {
                assertThat(viewSize(intruder)).isEqualTo(1);
                JsonNode seen = Http.json(intruder.http.get("/discover?name=payments"));
                assertThat(seen.at("/services/0/address").asString()).isEqualTo("6.6.6.6");
            }
        } finally {
            if (intruder != null) {
                intruder.close();
            }
        }
    }

    private static List<String> snapshots() {
        List<String> out = new ArrayList<>();
        for (ClusterMember m : List.of(a, b, c)) {
            JsonNode found = Http.json(m.http.get("/discover?name=payments"));
            out.add(m.name + ":" + found.at("/count").asInt() + ":" + found.at("/services/0/address").asString());
        }
        return out;
    }
}
