package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two members in enforced mode: a token made with the token API on one member is accepted by the other,
 * and once revoked on one it is refused by the other within a second.
 */
@Tag("cluster")
class TokenReplicationIT {

    private static final String ADMIN = "cluster-admin-secret-0123456789";
    private static final List<String> SECURITY = List.of("--beacon.security.mode=enforced",
            "--beacon.security.tokens.root.secret=" + ADMIN, "--beacon.security.tokens.root.scopes=admin",
            "--beacon.cluster.security.secret=token-replication-cluster-secret");

    static ClusterMember a;
    static ClusterMember b;
    private static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void formCluster() {
        List<Integer> ports = ClusterPorts.jgroups(2);
        a = ClusterMember.start("a", ports.get(0), ports, null, SECURITY);
        b = ClusterMember.start("b", ports.get(1), ports, null, SECURITY);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(Http.json(
                a.http.get("/actuator/health/readiness")).at("/components/cluster/details/size").asInt()).isEqualTo(2));
    }

    @AfterAll
    static void stop() {
        for (ClusterMember m : new ClusterMember[] {b, a}) {
            if (m != null) {
                m.close();
            }
        }
    }

    @Test
    void aTokenMadeOnOneMemberWorksOnTheOtherAndItsRevocationToo() throws Exception {
        HttpResponse<String> created = send(a, HttpRequest.newBuilder(URI.create(a.http.base() + "/acl/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"reader\",\"scopes\":[\"read\"]}")), ADMIN);
        assertThat(created.statusCode()).isEqualTo(201);
        String secret = Http.json(created).get("secret").asString();

        assertThat(send(b, get(b, "/services"), secret).statusCode()).isEqualTo(200);
        assertThat(send(b, get(b, "/acl/tokens"), ADMIN).body()).contains("\"id\":\"reader\"");

        assertThat(send(b, HttpRequest.newBuilder(URI.create(b.http.base() + "/acl/tokens/reader")).DELETE(), ADMIN)
                .statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> send(a, get(a, "/services"), secret).statusCode() == 401);
        assertThat(send(b, get(b, "/services"), secret).statusCode()).isEqualTo(401);
    }

    private static HttpRequest.Builder get(ClusterMember member, String path) {
        return HttpRequest.newBuilder(URI.create(member.http.base() + path)).GET();
    }

    private static HttpResponse<String> send(ClusterMember member, HttpRequest.Builder request, String token)
            throws Exception {
        return client.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
