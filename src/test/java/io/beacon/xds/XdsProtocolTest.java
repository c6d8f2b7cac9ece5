package io.beacon.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import io.beacon.policy.ServicePolicy;
import io.beacon.registry.InstanceKey;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ADS protocol at the stream level, with raw state-of-the-world and delta streams: ACK and NACK, version
 * and nonce progression, removals, reconnecting with known versions, delta subscribe and unsubscribe, and
 * pushes only to the streams subscribed to the changed service. Pushes run on the writer's thread here, so a
 * registry write has pushed when it returns.
 */
class XdsProtocolTest {

    static final String CDS = ResourceType.CLUSTER.typeUrl();
    static final String EDS = ResourceType.ENDPOINT.typeUrl();
    static final String LDS = ResourceType.LISTENER.typeUrl();

    final XdsFixture xds = new XdsFixture();

    @AfterEach
    void close() throws InterruptedException {
        xds.close();
    }

    static DiscoveryRequest.Builder request(String type, String... names) {
        return DiscoveryRequest.newBuilder().setTypeUrl(type).addAllResourceNames(List.of(names));
    }

    static DiscoveryRequest.Builder ack(DiscoveryResponse response, String... names) {
        return request(response.getTypeUrl(), names).setVersionInfo(response.getVersionInfo())
                .setResponseNonce(response.getNonce());
    }

    static ClusterLoadAssignment cla(DiscoveryResponse response) throws Exception {
        assertThat(response.getResourcesCount()).isEqualTo(1);
        return response.getResources(0).unpack(ClusterLoadAssignment.class);
    }

    static int endpoints(ClusterLoadAssignment cla) {
        return cla.getEndpointsList().stream().mapToInt(l -> l.getLbEndpointsCount()).sum();
    }

    @Test
    void versionsAndNoncesMoveWithEachPushAndAnAckIsNotAnswered() throws Exception {
        xds.register("orders", "a", 8080, null);
        XdsFixture.SotwClient client = xds.sotw("node-1", "gRPC Java 1.85.1");
        client.send(request(EDS, "orders"));
        DiscoveryResponse first = client.next();
        assertThat(endpoints(cla(first))).isEqualTo(1);
        assertThat(cla(first).getClusterName()).isEqualTo("orders");

        client.send(ack(first, "orders"));
        assertThat(client.received).as("an ACK gets no answer").isEmpty();

        xds.register("orders", "b", 8081, null);
        DiscoveryResponse second = client.next();
        assertThat(endpoints(cla(second))).isEqualTo(2);
        assertThat(second.getVersionInfo()).isNotEqualTo(first.getVersionInfo());
        assertThat(Long.parseLong(second.getNonce())).isGreaterThan(Long.parseLong(first.getNonce()));
        assertThat(xds.count("beacon.xds.pushes")).isEqualTo(2);
    }

    @Test
    void aNackedVersionIsNotSentAgainUntilTheResourceChanges() throws Exception {
        xds.register("orders", "a", 8080, null);
        XdsFixture.SotwClient client = xds.sotw("picky", "gRPC Java 1.85.1");
        client.send(request(EDS, "orders"));
        DiscoveryResponse first = client.next();
        client.send(ack(first, "orders"));
        xds.register("orders", "b", 8081, null);
        DiscoveryResponse rejected = client.next();

        client.send(request(EDS, "orders").setVersionInfo(first.getVersionInfo()).setResponseNonce(rejected.getNonce())
                .setErrorDetail(Status.newBuilder().setCode(3).setMessage("endpoint b is not acceptable")));
        assertThat(client.received).as("no resend of the rejected version").isEmpty();
        assertThat(xds.count("beacon.xds.nacks")).isEqualTo(1);
        xds.registry.heartbeat(new InstanceKey(xds.name("orders"), "b"), xds.clock.instant(),
                java.util.OptionalInt.empty());
        assertThat(client.received).as("a renewal changes nothing").isEmpty();

        xds.register("orders", "c", 8082, null);
        DiscoveryResponse changed = client.next();
        assertThat(endpoints(cla(changed))).isEqualTo(3);
        assertThat(changed.getVersionInfo()).isNotIn(first.getVersionInfo(), rejected.getVersionInfo());
    }

    @Test
    void aRequestAnsweringAnOlderResponseStillChangesTheSubscription() throws Exception {
        xds.register("orders", "a", 8080, null);
        xds.register("payments", "a", 9090, null);
        XdsFixture.SotwClient client = xds.sotw("eager", "gRPC Java 1.85.1");
        client.send(request(EDS, "orders"));
        DiscoveryResponse first = client.next();
        client.send(request(EDS, "orders", "payments")); // sent before the response above was seen: no nonce

        DiscoveryResponse both = client.next();
        assertThat(both.getResourcesList()).hasSize(2);
        assertThat(both.getResources(1).unpack(ClusterLoadAssignment.class).getClusterName()).isEqualTo("payments");
        assertThat(both.getNonce()).isNotEqualTo(first.getNonce());
    }

    @Test
    void aReconnectingClientWithTheCurrentVersionIsNotSentItAgain() throws Exception {
        xds.register("orders", "a", 8080, null);
        XdsFixture.SotwClient client = xds.sotw("again", "envoy");
        client.send(request(EDS, "orders"));
        DiscoveryResponse first = client.next();
        client.requests.onCompleted();

        XdsFixture.SotwClient back = xds.sotw("again", "envoy");
        back.send(request(EDS, "orders").setVersionInfo(first.getVersionInfo()));
        assertThat(back.received).as("the client already has this version").isEmpty();

        xds.register("orders", "b", 8081, null);
        assertThat(endpoints(cla(back.next()))).isEqualTo(2);
    }

    @Test
    void wildcardClustersDropAServiceWhoseLastInstanceLeft() throws Exception {
        xds.register("orders", "a", 8080, null);
        xds.register("payments", "a", 9090, null);
        XdsFixture.SotwClient envoy = xds.sotw("envoy-1", "envoy");
        envoy.send(request(CDS));
        DiscoveryResponse all = envoy.next();
        assertThat(all.getResourcesList()).extracting(a -> a.unpack(Cluster.class).getName())
                .containsExactly("orders", "payments");
        envoy.send(ack(all));

        xds.registry.deregister(new InstanceKey(xds.name("payments"), "a"));
        DiscoveryResponse after = envoy.next();
        assertThat(after.getResourcesList()).extracting(a -> a.unpack(Cluster.class).getName())
                .containsExactly("orders");
    }

    @Test
    void onlyStreamsSubscribedToTheChangedServiceArePushed() throws Exception {
        xds.register("orders", "a", 8080, null);
        xds.register("payments", "a", 9090, null);
        XdsFixture.SotwClient orders = xds.sotw("orders-client", "gRPC Java");
        XdsFixture.SotwClient payments = xds.sotw("payments-client", "gRPC Java");
        orders.send(request(EDS, "orders"));
        payments.send(request(EDS, "payments"));
        orders.send(ack(orders.next(), "orders"));
        payments.send(ack(payments.next(), "payments"));

        xds.register("orders", "b", 8081, null);
        assertThat(endpoints(cla(orders.next()))).isEqualTo(2);
        assertThat(payments.received).as("payments did not change").isEmpty();
        assertThat(xds.hub.streams()).isEqualTo(2);
    }

    @Test
    void aSubscriberBeforeTheServiceExistsIsServedAtTheFirstRegistration() throws Exception {
        XdsFixture.SotwClient client = xds.sotw("early", "gRPC Java");
        client.send(request(EDS, "late"));
        DiscoveryResponse empty = client.next();
        assertThat(endpoints(cla(empty))).isZero();
        client.send(ack(empty, "late"));

        xds.register("late", "a", 8080, null);
        assertThat(endpoints(cla(client.next()))).isEqualTo(1);
    }

    @Test
    void listenersAreAnsweredUnderTheRequestedNameAndEndWithTheRouter() throws Exception {
        XdsFixture.SotwClient client = xds.sotw("grpc", "gRPC Java");
        client.send(request(LDS, "Orders"));
        Listener listener = client.next().getResources(0).unpack(Listener.class);
        HttpConnectionManager hcm = listener.getApiListener().getApiListener().unpack(HttpConnectionManager.class);

        assertThat(listener.getName()).isEqualTo("Orders");
        assertThat(hcm.getRds().getRouteConfigName()).isEqualTo("orders");
        assertThat(hcm.getHttpFiltersList().get(hcm.getHttpFiltersCount() - 1).getName())
                .isEqualTo(XdsMapping.ROUTER_FILTER);
    }

    @Test
    void randomIsRoundRobinForGrpcAndRandomForEnvoy() throws Exception {
        xds.register("orders", "a", 8080, null);
        xds.policies.put(xds.name("orders"), new ServicePolicy("random", null, null));
        XdsFixture.SotwClient grpc = xds.sotw("grpc", "gRPC Java");
        XdsFixture.SotwClient envoy = xds.sotw("envoy", "envoy");
        grpc.send(request(CDS, "orders"));
        envoy.send(request(CDS, "orders"));

        assertThat(grpc.next().getResources(0).unpack(Cluster.class).getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
        assertThat(envoy.next().getResources(0).unpack(Cluster.class).getLbPolicy()).isEqualTo(Cluster.LbPolicy.RANDOM);
    }

    @Test
    void deltaSendsOnlyWhatChangedAndFollowsSubscribeAndUnsubscribe() throws Exception {
        xds.register("orders", "a", 8080, null);
        xds.register("payments", "a", 9090, null);
        XdsFixture.DeltaClient client = xds.delta("delta-1");
        client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(EDS).addResourceNamesSubscribe("orders"));
        DeltaDiscoveryResponse first = client.next();
        assertThat(first.getResourcesList()).extracting(Resource::getName).containsExactly("orders");
        client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(EDS).setResponseNonce(first.getNonce())
                .addResourceNamesSubscribe("payments"));
        DeltaDiscoveryResponse second = client.next();
        assertThat(second.getResourcesList()).as("only the new subscription").extracting(Resource::getName)
                .containsExactly("payments");

        client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(EDS).setResponseNonce(second.getNonce())
                .addResourceNamesUnsubscribe("orders"));
        xds.register("orders", "b", 8081, null);
        assertThat(client.received).as("orders is no longer subscribed").isEmpty();
        xds.register("payments", "b", 9091, null);
        DeltaDiscoveryResponse third = client.next();
        assertThat(third.getResourcesList()).extracting(Resource::getName).containsExactly("payments");
        assertThat(endpoints(third.getResources(0).getResource().unpack(ClusterLoadAssignment.class))).isEqualTo(2);
    }

    @Test
    void deltaNacksReconnectsAndRemovals() throws Exception {
        xds.register("orders", "a", 8080, null);
        xds.register("payments", "a", 9090, null);
        XdsFixture.DeltaClient client = xds.delta("delta-2");
        client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(CDS)); // wildcard
        DeltaDiscoveryResponse all = client.next();
        assertThat(all.getResourcesList()).extracting(Resource::getName).containsExactlyInAnyOrder("orders", "payments");
        Map<String, String> versions = new java.util.HashMap<>();
        all.getResourcesList().forEach(r -> versions.put(r.getName(), r.getVersion()));

        xds.registry.deregister(new InstanceKey(xds.name("payments"), "a"));
        DeltaDiscoveryResponse removal = client.next();
        assertThat(removal.getRemovedResourcesList()).containsExactly("payments");
        assertThat(removal.getResourcesList()).isEmpty();

        xds.policies.put(xds.name("orders"), new ServicePolicy("least_connections", null, null));
        DeltaDiscoveryResponse changed = client.next();
        client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(CDS).setResponseNonce(changed.getNonce())
                .setErrorDetail(Status.newBuilder().setCode(3).setMessage("no least request here")));
        assertThat(xds.count("beacon.xds.nacks")).isEqualTo(1);
        xds.register("orders", "b", 8081, null);
        assertThat(client.received).as("the rejected cluster is not sent again").isEmpty();

        XdsFixture.DeltaClient back = xds.delta("delta-2");
        back.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(CDS).putAllInitialResourceVersions(versions));
        DeltaDiscoveryResponse resync = back.next();
        assertThat(resync.getResourcesList()).extracting(Resource::getName).as("only what differs from its versions")
                .containsExactly("orders");
        assertThat(resync.getRemovedResourcesList()).containsExactly("payments");
    }

    static DeltaDiscoveryRequest.Builder deltaAck(DeltaDiscoveryResponse response) {
        return DeltaDiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl()).setResponseNonce(response.getNonce());
    }

    static DeltaDiscoveryRequest.Builder deltaNack(DeltaDiscoveryResponse response, String why) {
        return deltaAck(response).setErrorDetail(Status.newBuilder().setCode(3).setMessage(why));
    }

    @Test
    void deltaAcksAndNacksSendNothingAndANackedVersionWaitsForAChange() throws Exception {
        java.util.Queue<Runnable> queued = new java.util.concurrent.ConcurrentLinkedQueue<>();
        try (XdsFixture held = new XdsFixture(queued::add)) {
            held.register("orders", "a", 8080, null);
            XdsFixture.DeltaClient client = held.delta("delta-ack");
            client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(EDS).addResourceNamesSubscribe("orders"));
            DeltaDiscoveryResponse first = client.next();

            held.register("orders", "b", 8081, null); // its push waits on the push threads
            client.send(deltaAck(first));
            assertThat(client.received).as("an ACK sends nothing, not even a change it has not seen").isEmpty();
            runAll(queued);
            DeltaDiscoveryResponse second = client.next();
            assertThat(endpoints(second.getResources(0).getResource().unpack(ClusterLoadAssignment.class))).isEqualTo(2);

            client.send(deltaNack(second, "endpoint b is not acceptable"));
            runAll(queued);
            assertThat(client.received).as("no resend of the rejected version").isEmpty();
            assertThat(held.count("beacon.xds.nacks")).isEqualTo(1);
            held.registry.heartbeat(new InstanceKey(held.name("orders"), "b"), held.clock.instant(),
                    java.util.OptionalInt.empty());
            runAll(queued);
            assertThat(client.received).as("a renewal changes nothing").isEmpty();

            held.register("orders", "c", 8082, null);
            runAll(queued);
            DeltaDiscoveryResponse third = client.next();
            assertThat(third.getResources(0).getVersion())
                    .isNotIn(first.getResources(0).getVersion(), second.getResources(0).getVersion());
            assertThat(endpoints(third.getResources(0).getResource().unpack(ClusterLoadAssignment.class))).isEqualTo(3);
            client.send(deltaAck(third));
            runAll(queued);
            assertThat(client.received).isEmpty();
            assertThat(held.count("beacon.xds.pushes")).isEqualTo(3);
        }
    }

    @Test
    void deltaRemovesAResourceWhoseNewerVersionWasNacked() throws Exception {
        xds.register("orders", "a", 8080, null);
        XdsFixture.DeltaClient client = xds.delta("delta-3");
        client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(CDS)); // wildcard
        DeltaDiscoveryResponse all = client.next();
        assertThat(all.getResourcesList()).extracting(Resource::getName).containsExactly("orders");
        client.send(deltaAck(all));

        xds.policies.put(xds.name("orders"), new ServicePolicy("least_connections", null, null));
        DeltaDiscoveryResponse changed = client.next();
        client.send(deltaNack(changed, "no least request here"));
        assertThat(client.received).isEmpty();

        xds.registry.deregister(new InstanceKey(xds.name("orders"), "a"));
        DeltaDiscoveryResponse removal = client.next();
        assertThat(removal.getRemovedResourcesList()).as("the client still holds the version it accepted")
                .containsExactly("orders");
    }

    @Test
    void aChangeSeenByManyStreamsIsOneTaskPerPushThreadAndReachesEachStreamOnce() throws Exception {
        java.util.Queue<Runnable> queued = new java.util.concurrent.ConcurrentLinkedQueue<>();
        try (XdsFixture held = new XdsFixture(queued::add)) {
            held.register("orders", "a", 8080, null);
            List<XdsFixture.SotwClient> clients = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                XdsFixture.SotwClient client = held.sotw("many-" + i, "gRPC Java");
                client.send(request(EDS, "orders"));
                client.send(ack(client.next(), "orders"));
                clients.add(client);
            }

            held.register("orders", "b", 8081, null);
            assertThat(queued).as("the fixture's hub has 2 push threads: one task each, not one per stream").hasSize(2);
            held.register("orders", "c", 8082, null);
            assertThat(queued).as("streams already scheduled are not scheduled again").hasSize(2);
            runAll(queued);
            for (XdsFixture.SotwClient client : clients) {
                assertThat(endpoints(cla(client.next()))).as("the latest state, once").isEqualTo(3);
                assertThat(client.received).isEmpty();
            }
        }
    }

    private static void runAll(java.util.Queue<Runnable> queued) {
        for (Runnable r; (r = queued.poll()) != null; ) {
            r.run();
        }
    }
}
