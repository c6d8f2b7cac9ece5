package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.RegistryEvent;
import io.beacon.support.Http;
import io.beacon.support.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Three members (separate Spring contexts with separate JGroups stacks on 127.0.0.1) sharing one clock:
 * replication of writes, events on every member, cluster-safe expiry, and the HTTP API through a member.
 */
@Tag("cluster")
class ClusterIT {

    static final MutableClock clock = new MutableClock();
    static TestCluster cluster;
    static ClusterMember a;
    static ClusterMember b;
    static ClusterMember c;

    @BeforeAll
    static void formCluster() {
        cluster = TestCluster.ofThree(clock, List.of());
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

    static String registration(String service, String id, int port) {
        return """
                {"name":"%s","id":"%s","address":"10.0.0.1","port":%d,"metadata":{"zone":"z1"},"tags":["blue"]}"""
                .formatted(service, id, port);
    }

    @Test
    void registrationOnAIsDiscoverableOnBAndCAsSoonAsItIsAcknowledged() {
        HttpResponse<String> created = a.http.post("/register", registration("orders", "o-1", 8081));
        assertThat(created.statusCode()).isEqualTo(201);

        for (ClusterMember m : List.of(b, c)) {
            JsonNode found = Http.json(m.http.get("/discover?name=orders"));
            assertThat(found.at("/count").asInt()).as(m.name).isEqualTo(1);
            assertThat(found.at("/services/0/id").asString()).isEqualTo("o-1");
            assertThat(found.at("/services/0/port").asInt()).isEqualTo(8081);
            assertThat(found.at("/services/0/metadata/zone").asString()).isEqualTo("z1");
            assertThat(found.at("/services/0/tags/0").asString()).isEqualTo("blue");
        }
    }

    @Test
    void everyMemberPublishesTheEventOfAWriteMadeOnAnotherBeforeTheWriteIsAcknowledged() {
        assertThat(a.http.post("/register", registration("watched", "w-1", 9000)).statusCode()).isEqualTo(201);

        for (ClusterMember m : List.of(a, b, c)) {
            List<RegistryEvent> seen = eventsFor(m, "watched", "w-1");
            assertThat(seen).as(m.name).hasSize(1);
            assertThat(seen.get(0)).isInstanceOf(RegistryEvent.Registered.class);
            assertThat(seen.get(0).index()).isEqualTo(m.registry().index(seen.get(0).service()));
        }
        assertThat(b.http.delete("/deregister/watched/w-1").statusCode()).isEqualTo(204);
        for (ClusterMember m : List.of(a, b, c)) {
            assertThat(eventsFor(m, "watched", "w-1")).as(m.name).extracting(RegistryEvent::kind)
                    .containsExactly(RegistryEvent.Kind.REGISTERED, RegistryEvent.Kind.DEREGISTERED);
            assertThat(m.registry().get(InstanceKey.of("watched", "w-1"))).isEmpty();
        }
    }

    @Test
    void aHeartbeatOnCKeepsAliveAnInstanceRegisteredOnA() {
        assertThat(a.http.post("/register", registration("billing", "b-1", 8082)).statusCode()).isEqualTo(201);
        clock.advance(Duration.ofSeconds(20));
        HttpResponse<String> beat = c.http.put("/heartbeat/billing/b-1", null);
        assertThat(beat.statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(20)); // 40 s after registration, 20 s after the heartbeat

        for (ClusterMember m : List.of(a, b, c)) {
            m.sweeper().sweep(clock.instant());
        }
        for (ClusterMember m : List.of(a, b, c)) {
            assertThat(m.registry().get(InstanceKey.of("billing", "b-1")).orElseThrow().status())
                    .as(m.name).isEqualTo(InstanceStatus.UP);
            assertThat(Http.json(m.http.get("/discover?name=billing")).at("/count").asInt()).isEqualTo(1);
        }
    }

    @Test
    void concurrentHeartbeatsThroughEveryMemberAreEachAcknowledgedAndRenewedEverywhere() {
        int n = 40;
        for (int i = 0; i < n; i++) {
            assertThat(a.http.post("/register", registration("beats", "h-" + i, 9000 + i)).statusCode()).isEqualTo(201);
        }
        clock.advance(Duration.ofSeconds(31));
        for (ClusterMember m : List.of(a, b, c)) {
            m.sweeper().sweep(clock.instant());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Http.json(c.http.get("/discover?name=beats")).at("/count").asInt()).isZero());

        // every instance heartbeats through all three members at once: batched, each acknowledged
        List<CompletableFuture<Integer>> beats = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (ClusterMember m : List.of(a, b, c)) {
                String path = "/heartbeat/beats/h-" + i;
                beats.add(CompletableFuture.supplyAsync(() -> m.http.put(path, null).statusCode()));
            }
        }
        assertThat(beats.stream().map(CompletableFuture::join)).hasSize(3 * n).containsOnly(200);

        for (ClusterMember m : List.of(a, b, c)) {
            for (int i = 0; i < n; i++) {
                Instance renewed = m.registry().get(InstanceKey.of("beats", "h-" + i)).orElseThrow();
                assertThat(renewed.status()).as(m.name).isEqualTo(InstanceStatus.UP);
                assertThat(renewed.lease().lastRenewedAt()).isEqualTo(clock.instant());
                assertThat(eventsFor(m, "beats", "h-" + i)).filteredOn(RegistryEvent::isChange)
                        .extracting(RegistryEvent::kind).containsExactly(
                        RegistryEvent.Kind.REGISTERED, RegistryEvent.Kind.STATUS_CHANGED,
                        RegistryEvent.Kind.STATUS_CHANGED);
            }
            assertThat(Http.json(m.http.get("/discover?name=beats")).at("/count").asInt()).isEqualTo(n);
        }
        for (int i = 0; i < n; i++) {
            StoredInstance onA = a.cache().get("beats/h-" + i);
            // registered, marked STALE, then one to three renewals (heartbeats in one batch merge)
            assertThat(onA.revision()).isBetween(3L, 5L);
            assertThat(b.cache().get("beats/h-" + i)).isEqualTo(onA);
            assertThat(c.cache().get("beats/h-" + i)).isEqualTo(onA);
        }
        assertThat(a.http.get("/actuator/prometheus").body()).contains("beacon_cluster_heartbeat_batch_heartbeats_count");

        // a deregistered instance is not brought back by a heartbeat through another member
        assertThat(b.http.delete("/deregister/beats/h-0").statusCode()).isEqualTo(204);
        assertThat(c.http.put("/heartbeat/beats/h-0", null).statusCode()).isEqualTo(404);
        for (ClusterMember m : List.of(a, b, c)) {
            assertThat(m.registry().get(InstanceKey.of("beats", "h-0"))).as(m.name).isEmpty();
        }
        for (int i = 1; i < n; i++) { // leave nothing to lapse in the other tests (self-preservation)
            assertThat(c.http.delete("/deregister/beats/h-" + i).statusCode()).isEqualTo(204);
        }
    }

    @Test
    void anInstanceGoesStaleAndIsEvictedOnceClusterWide() {
        assertThat(b.http.post("/register", registration("lapsing", "l-1", 8083)).statusCode()).isEqualTo(201);
        InstanceKey key = InstanceKey.of("lapsing", "l-1");

        clock.advance(Duration.ofSeconds(31));
        for (ClusterMember m : List.of(a, b, c)) {
            m.sweeper().sweep(clock.instant()); // every member tries; only the coordinator applies
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (ClusterMember m : List.of(a, b, c)) {
                assertThat(m.registry().get(key).orElseThrow().status()).isEqualTo(InstanceStatus.STALE);
            }
        });
        clock.advance(Duration.ofSeconds(60)); // 91 s without a heartbeat
        for (ClusterMember m : List.of(a, b, c)) {
            m.sweeper().sweep(clock.instant());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (ClusterMember m : List.of(a, b, c)) {
                assertThat(m.registry().get(key)).isEmpty();
            }
        });
        for (ClusterMember m : List.of(a, b, c)) {
            m.sweeper().sweep(clock.instant());
            assertThat(eventsFor(m, "lapsing", "l-1")).as(m.name).extracting(RegistryEvent::kind)
                    .containsExactly(RegistryEvent.Kind.REGISTERED, RegistryEvent.Kind.STATUS_CHANGED,
                            RegistryEvent.Kind.EVICTED);
        }
        String metrics = a.http.get("/actuator/prometheus").body();
        assertThat(metrics).contains("beacon_cluster_members 3.0");
        assertThat(metrics).contains("beacon_cluster_replication_seconds_count");
    }

    @Test
    void theCoreApiBehavesThroughAMemberOfTheCluster() {
        Http api = b.http;
        HttpResponse<String> bad = api.post("/register", "{\"name\":\"bad name!\",\"address\":\"10.0.0.1\",\"port\":0}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("application/problem+json"));
        assertThat(a.registry().size()).isEqualTo(b.registry().size());

        assertThat(api.put("/heartbeat/nosuch/x", null).statusCode()).isEqualTo(404);
        assertThat(api.post("/register", registration("catalog", "c-1", 7001)).statusCode()).isEqualTo(201);
        HttpResponse<String> again = api.post("/register", registration("catalog", "c-1", 7001));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(api.post("/register", registration("catalog", "c-2", 7002)).statusCode()).isEqualTo(201);

        JsonNode service = Http.json(c.http.get("/services/catalog"));
        assertThat(service.at("/count").asInt()).isEqualTo(2);
        assertThat(service.at("/instances/0/id").asString()).isEqualTo("c-1");
        JsonNode catalog = Http.json(a.http.get("/services"));
        assertThat(catalog.at("/services").findValuesAsString("name")).contains("catalog");

        HttpResponse<String> instance = c.http.get("/services/catalog/instances/c-2");
        assertThat(instance.statusCode()).isEqualTo(200);
        assertThat(Long.parseLong(instance.headers().firstValue("X-Beacon-Index").orElseThrow())).isPositive();
        assertThat(api.delete("/deregister/catalog/c-2").statusCode()).isEqualTo(204);
        assertThat(api.delete("/deregister/catalog/c-2").statusCode()).isEqualTo(404);
        assertThat(a.http.get("/services/catalog/instances/c-2").statusCode()).isEqualTo(404);
        assertThat(Http.json(c.http.get("/discover?name=catalog")).at("/count").asInt()).isEqualTo(1);
        assertThat(c.http.get("/discover?name=catalog&bogus=1").statusCode()).isEqualTo(400);
    }

    @Test
    void healthShowsMembershipAndState() {
        JsonNode health = Http.json(c.http.get("/actuator/health/readiness"));
        assertThat(health.at("/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/cluster/details/hasState").asBoolean()).isTrue();
        assertThat(health.at("/components/cluster/details/coordinator").asString()).isEqualTo("a");
        assertThat(health.at("/components/cluster/details/members").size()).isEqualTo(3);
    }

    private static List<RegistryEvent> eventsFor(ClusterMember m, String service, String id) {
        InstanceKey key = InstanceKey.of(service, id);
        return m.events().stream().filter(e -> e.instance().key().equals(key)).toList();
    }
}
