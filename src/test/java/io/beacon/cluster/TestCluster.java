package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The way a test starts a 3-member loopback cluster: member A first (it becomes the JGroups coordinator),
 * then B and C joining together, each a {@link ClusterMember} with its own Spring context, JGroups stack
 * and HTTP port; {@link #ofThree} returns once every member's readiness reports a view of three. Closing
 * it stops C, B, then A.
 */
final class TestCluster implements AutoCloseable {

    final ClusterMember a;
    final ClusterMember b;
    final ClusterMember c;

    private TestCluster(ClusterMember a, ClusterMember b, ClusterMember c) {
        this.a = a;
        this.b = b;
        this.c = c;
    }

    /**
     * @param clock the clock every member uses, or null for the system clock
     * @param extra further command-line arguments of every member
     */
    static TestCluster ofThree(Clock clock, List<String> extra) {
        List<Integer> ports = ClusterPorts.jgroups(3);
        ClusterMember a = ClusterMember.start("a", ports.get(0), ports, clock, extra);
        CompletableFuture<ClusterMember> fb = CompletableFuture.supplyAsync(
                () -> ClusterMember.start("b", ports.get(1), ports, clock, extra));
        CompletableFuture<ClusterMember> fc = CompletableFuture.supplyAsync(
                () -> ClusterMember.start("c", ports.get(2), ports, clock, extra));
        TestCluster cluster = new TestCluster(a, fb.join(), fc.join());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (ClusterMember m : cluster.members()) {
                assertThat(Http.json(m.http.get("/actuator/health/readiness")).at("/components/cluster/details/size")
                        .asInt()).as(m.name).isEqualTo(3);
            }
        });
        return cluster;
    }

    List<ClusterMember> members() {
        return List.of(a, b, c);
    }

    @Override
    public void close() {
        for (ClusterMember m : new ClusterMember[] {c, b, a}) {
            m.close();
        }
    }
}
