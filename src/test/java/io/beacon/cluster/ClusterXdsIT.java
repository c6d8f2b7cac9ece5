package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two members: a policy set through member A changes the Cluster resource member B's xDS server pushes. */
@Tag("cluster")
class ClusterXdsIT {

    static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    @Test
    void aPolicySetOnAChangesTheClusterServedByB() throws Exception {
        List<Integer> ports = ClusterPorts.jgroups(2);
        int xdsB = ClusterPorts.http();
        try (ClusterMember a = ClusterMember.start("a", ports.get(0), ports, null, List.of());
                ClusterMember b = ClusterMember.start("b", ports.get(1), ports, null,
                        List.of("--beacon.xds.enabled=true", "--beacon.xds.port=" + xdsB))) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(Http.json(
                    b.http.get("/actuator/health/readiness")).at("/components/cluster/details/size").asInt())
                    .isEqualTo(2));
            assertThat(a.http.post("/register", """
                    {"name":"pay","id":"pay-1","address":"10.0.0.1","port":8080,"leaseSeconds":600}""")
                    .statusCode()).isEqualTo(201);

            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", xdsB).usePlaintext().build();
            AtomicReference<Cluster> latest = new AtomicReference<>();
            CompletableFuture<Void> failed = new CompletableFuture<>();
            StreamObserver<DiscoveryRequest>[] requests = new StreamObserver[1];
            requests[0] = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
                @Override
                public void onNext(DiscoveryResponse response) {
                    try {
                        latest.set(response.getResources(0).unpack(Cluster.class));
                    } catch (Exception e) {
                        failed.completeExceptionally(e);
                    }
                    synchronized (requests) {
                        requests[0].onNext(DiscoveryRequest.newBuilder().setTypeUrl(CDS).addResourceNames("pay")
                                .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce()).build());
                    }
                }

                @Override
                public void onError(Throwable t) {
                    failed.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                }
            });
            try {
                synchronized (requests) {
                    requests[0].onNext(DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId("edge-b")
                            .setUserAgentName("envoy")).setTypeUrl(CDS).addResourceNames("pay").build());
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> latest.get() != null);
                assertThat(latest.get().getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);

                assertThat(a.http.put("/services/pay/policy", "{\"strategy\":\"consistent_hash\"}").statusCode())
                        .isEqualTo(200);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> latest.get().getLbPolicy() == Cluster.LbPolicy.RING_HASH);
                assertThat(failed).isNotDone();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
