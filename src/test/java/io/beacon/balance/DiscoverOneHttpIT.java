package io.beacon.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.ServiceName;
import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/** {@code GET /discover/one} over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
class DiscoverOneHttpIT {

    @LocalServerPort
    int port;

    @Autowired
    LoadBalancer loadBalancer;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    private void register(String service, String id, String extra) {
        HttpResponse<String> response = http.post("/register", "{\"name\":\"" + service + "\",\"id\":\"" + id
                + "\",\"address\":\"10.0.0.1\",\"port\":8080" + (extra.isEmpty() ? "" : "," + extra) + "}");
        assertThat(response.statusCode()).isIn(200, 201);
    }

    private String pickId(String query) {
        HttpResponse<String> response = http.get("/discover/one?" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response).get("id").asString();
    }

    private List<String> picks(String query, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(pickId(query));
        }
        return ids;
    }

    @Test
    void roundRobinByDefaultInIdOrderWithIndexHeader() {
        register("rr-svc", "c", "");
        register("rr-svc", "a", "");
        register("rr-svc", "b", "");
        HttpResponse<String> first = http.get("/discover/one?name=rr-svc");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Beacon-Index")).isPresent();
        long discoverIndex = Http.json(http.get("/discover?name=rr-svc")).get("index").asLong();
        assertThat(first.headers().firstValue("X-Beacon-Index").orElseThrow()).isEqualTo(Long.toString(discoverIndex));
        JsonNode body = Http.json(first);
        assertThat(body.get("id").asString()).isEqualTo("a");
        assertThat(body.get("name").asString()).isEqualTo("rr-svc");
        assertThat(body.get("address").asString()).isEqualTo("10.0.0.1");
        assertThat(body.get("status").asString()).isEqualTo("UP");
        assertThat(picks("name=rr-svc", 5)).containsExactly("b", "c", "a", "b", "c");
    }

    @Test
    void filtersApplyToThePick() {
        register("filter-one", "a", "\"tags\":[\"blue\"],\"zone\":\"z1\"");
        register("filter-one", "b", "\"tags\":[\"green\"],\"zone\":\"z1\"");
        register("filter-one", "c", "\"tags\":[\"blue\",\"green\"],\"zone\":\"z2\",\"metadata\":{\"env\":\"prod\"}");
        assertThat(picks("name=filter-one&tag=green", 4)).containsExactly("b", "c", "b", "c");
        assertThat(picks("name=filter-one&tag=blue&tag=green", 2)).containsExactly("c", "c");
        assertThat(picks("name=filter-one&meta.env=prod", 2)).containsExactly("c", "c");
        assertThat(picks("name=filter-one&zone=z1&strategy=random", 20)).containsOnly("a", "b");
    }

    @Test
    void noneAvailableIsA404Problem() {
        HttpResponse<String> unknown = http.get("/discover/one?name=nobody-here");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(Http.json(unknown).get("detail").asString()).contains("nobody-here");
        register("filtered-out", "a", "\"zone\":\"z1\"");
        HttpResponse<String> filtered = http.get("/discover/one?name=filtered-out&zone=z2");
        assertThat(filtered.statusCode()).isEqualTo(404);
        assertThat(Http.json(filtered).get("title").asString()).isEqualTo("No instance available");
    }

    @Test
    void badRequestsAre400Problems() {
        register("bad-req", "a", "");
        HttpResponse<String> strategy = http.get("/discover/one?name=bad-req&strategy=fastest");
        assertThat(strategy.statusCode()).isEqualTo(400);
        assertThat(strategy.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(Http.json(strategy).get("errors").get(0).get("field").asString()).isEqualTo("strategy");
        HttpResponse<String> noKey = http.get("/discover/one?name=bad-req&strategy=consistent_hash");
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(Http.json(noKey).get("errors").get(0).get("field").asString()).isEqualTo("key");
        HttpResponse<String> unknown = http.get("/discover/one?name=bad-req&wait=5s");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(Http.json(unknown).get("errors").get(0).get("field").asString()).isEqualTo("wait");
        assertThat(http.get("/discover/one").statusCode()).isEqualTo(400);
        assertThat(http.get("/discover/one?name=bad-req&prefer_zone=").statusCode()).isEqualTo(400);
        assertThat(http.get("/discover/one?name=bad-req&strategy=random&strategy=weighted").statusCode())
                .isEqualTo(400);
    }

    @Test
    void consistentHashKeepsAKeyOnOneInstance() {
        for (int i = 0; i < 5; i++) {
            register("hash-svc", "n" + i, "");
        }
        Map<String, String> owners = new HashMap<>();
        for (int k = 0; k < 20; k++) {
            owners.put("k" + k, pickId("name=hash-svc&strategy=consistent_hash&key=k" + k));
        }
        for (int k = 0; k < 20; k++) {
            assertThat(pickId("name=hash-svc&strategy=consistent_hash&key=k" + k)).isEqualTo(owners.get("k" + k));
        }
        assertThat(owners.values()).hasSizeGreaterThan(1);
    }

    @Test
    void leastConnectionsFollowsReportedInflight() {
        register("lc-svc", "busy", "");
        register("lc-svc", "idle", "");
        assertThat(http.put("/heartbeat/lc-svc/busy", "{\"inflight\":40}").statusCode()).isEqualTo(200);
        assertThat(http.put("/heartbeat/lc-svc/idle", "{\"inflight\":2}").statusCode()).isEqualTo(200);
        assertThat(picks("name=lc-svc&strategy=least_connections", 10)).containsOnly("idle");
        http.put("/heartbeat/lc-svc/busy", "{\"inflight\":0}");
        assertThat(picks("name=lc-svc&strategy=least_connections", 10)).containsOnly("busy");
    }

    @Test
    void policyStrategyIsTheDefaultAndAChangeDropsState() {
        register("policy-svc", "a", "\"weight\":3");
        register("policy-svc", "b", "\"weight\":1");
        assertThat(picks("name=policy-svc", 2)).containsExactly("a", "b");
        assertThat(loadBalancer.stateCount(ServiceName.of("policy-svc"))).isEqualTo(1);
        assertThat(http.put("/services/policy-svc/policy", "{\"strategy\":\"weighted\"}").statusCode()).isEqualTo(200);
        assertThat(loadBalancer.stateCount(ServiceName.of("policy-svc"))).isZero();
        assertThat(picks("name=policy-svc", 8)).containsExactly("a", "a", "b", "a", "a", "a", "b", "a");
        assertThat(picks("name=policy-svc&strategy=round_robin", 2)).containsExactly("a", "b");
        http.put("/services/policy-svc/policy", "{\"strategy\":\"consistent_hash\"}");
        assertThat(http.get("/discover/one?name=policy-svc").statusCode()).isEqualTo(400);
        assertThat(http.get("/discover/one?name=policy-svc&key=x").statusCode()).isEqualTo(200);
    }

    @Test
    void stateIsDroppedWhenTheLastInstanceLeaves() {
        register("leaving-svc", "a", "");
        pickId("name=leaving-svc");
        assertThat(loadBalancer.stateCount(ServiceName.of("leaving-svc"))).isEqualTo(1);
        assertThat(http.delete("/deregister/leaving-svc/a").statusCode()).isEqualTo(204);
        assertThat(loadBalancer.stateCount(ServiceName.of("leaving-svc"))).isZero();
    }

    @Test
    void versionSplitAndExplicitVersion() {
        register("canary-svc", "a", "\"version\":\"v1\"");
        register("canary-svc", "b", "\"version\":\"v1\"");
        register("canary-svc", "c", "\"version\":\"v2\"");
        assertThat(http.put("/services/canary-svc/policy",
                "{\"split\":[{\"version\":\"v1\",\"weight\":90},{\"version\":\"v2\",\"weight\":10}]}").statusCode())
                .isEqualTo(200);
        List<String> picked = picks("name=canary-svc", 600);
        long canary = picked.stream().filter("c"::equals).count();
        // 10 % of 600 is 60 (standard deviation about 7): the bounds are more than 4 deviations away.
        assertThat(canary).isBetween(30L, 90L);
        assertThat(picked).contains("a", "b");
        assertThat(picks("name=canary-svc&version=v2", 5)).containsOnly("c");
        assertThat(http.delete("/deregister/canary-svc/c").statusCode()).isEqualTo(204);
        assertThat(picks("name=canary-svc", 20)).containsOnly("a", "b");
    }

    @Test
    void preferZonePicksInZoneElseAnywhere() {
        register("zone-svc", "a", "\"zone\":\"z1\"");
        register("zone-svc", "b", "\"zone\":\"z2\"");
        register("zone-svc", "c", "\"zone\":\"z2\"");
        assertThat(picks("name=zone-svc&prefer_zone=z1", 3)).containsOnly("a");
        assertThat(picks("name=zone-svc&prefer_zone=z2", 4)).containsExactly("b", "c", "b", "c");
        assertThat(picks("name=zone-svc&prefer_zone=z9", 3)).containsExactly("a", "b", "c");
    }
}
