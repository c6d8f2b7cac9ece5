package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.registry.InstanceKey;
import io.beacon.support.Http;
import io.beacon.support.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.infinispan.partitionhandling.AvailabilityMode;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A member partitioned away: JGroups {@code DISCARD} inserted right above its transport drops every message
 * it sends or receives (its sockets stay open, as on a switch that stops forwarding), so failure detection
 * suspects it on both sides and each side installs its own view. The lone member answers writes 503
 * (problem+json, {@code Retry-After}) and changes nothing, still answers reads; the majority goes on and
 * its writes never reach the minority until the partition heals and the sides merge.
 */
@Tag("cluster")
class ClusterPartitionIT {

    static final MutableClock clock = new MutableClock();
    static TestCluster cluster;
    static ClusterMember a;
    static ClusterMember b;
    static ClusterMember c;

    @BeforeAll
    static void formCluster() {
        // merge attempts every 1 to 3 s (the default: 10 to 30 s), so the healed sides merge within seconds
        cluster = TestCluster.ofThree(clock, List.of("--beacon.cluster.merge-interval=3s"));
        a = cluster.a;
        b = cluster.b;
        c = cluster.c;
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static JChannel channel(ClusterMember m) {
        return ((JGroupsTransport) m.cache().getAdvancedCache().getRpcManager().getTransport()).getChannel();
    }

    static String registration(String id) {
        return "{\"name\":\"split\",\"id\":\"" + id + "\",\"address\":\"10.4.0.1\",\"port\":8080}";
    }

    @Test
    void theMinorityRefusesWritesWith503AndKeepsAnsweringReadsUntilTheSidesMerge() throws Exception {
        assertThat(c.http.post("/register", registration("before")).statusCode()).isEqualTo(201);

        JChannel cut = channel(c);
        DISCARD discard = new DISCARD();
        discard.setAddress(cut.getAddress());
        cut.getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TCP.class);
        discard.discardAll(true);

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(c.cache().getAdvancedCache().getAvailability()).isEqualTo(AvailabilityMode.DEGRADED_MODE);
            assertThat(a.cache().getAdvancedCache().getAvailability()).isEqualTo(AvailabilityMode.AVAILABLE);
            assertThat(a.cache().getAdvancedCache().getRpcManager().getMembers()).hasSize(2);
        });

        // the lone member is its side's coordinator but does not apply expiry; the majority's coordinator does
        assertThat(Http.json(c.http.get("/actuator/health")).at("/components/cluster/details/holdsExpiry").asBoolean())
                .isFalse();
        assertThat(Http.json(a.http.get("/actuator/health")).at("/components/cluster/details/holdsExpiry").asBoolean())
                .isTrue();

        // the minority: writes are a server state (503), not a client mistake, and change nothing
        HttpResponse<String> refused = c.http.post("/register", registration("minority"));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        JsonNode problem = Http.json(refused);
        assertThat(problem.at("/status").asInt()).isEqualTo(503);
        assertThat(problem.at("/detail").asString()).contains("cut off from the majority");
        assertThat(refused.body()).doesNotContain("Exception").doesNotContain("infinispan");
        assertThat(c.http.put("/heartbeat/split/before", null).statusCode()).isEqualTo(503);
        assertThat(c.http.delete("/deregister/split/before").statusCode()).isEqualTo(503);
        assertThat(c.registry().get(InstanceKey.of("split", "minority"))).isEmpty();
        assertThat(c.registry().get(InstanceKey.of("split", "before"))).isPresent();
        // reads still answer, from the copy as it was at the split
        HttpResponse<String> read = c.http.get("/discover?name=split");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(Http.json(read).at("/count").asInt()).isEqualTo(1);

        // the majority goes on
        assertThat(a.http.post("/register", registration("majority")).statusCode()).isEqualTo(201);
        assertThat(b.registry().get(InstanceKey.of("split", "majority"))).isPresent();
        assertThat(c.registry().get(InstanceKey.of("split", "majority"))).isEmpty();

        // healed: the sides merge, and the minority takes the majority's values and writes again
        discard.discardAll(false);
        cut.getProtocolStack().removeProtocol(DISCARD.class);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(c.cache().getAdvancedCache().getAvailability()).isEqualTo(AvailabilityMode.AVAILABLE);
            assertThat(c.registry().get(InstanceKey.of("split", "majority"))).isPresent();
        });
        assertThat(c.http.post("/register", registration("after")).statusCode()).isEqualTo(201);
        assertThat(a.registry().get(InstanceKey.of("split", "after"))).isPresent();
    }
}
