package io.beacon.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.InstanceKey;
import io.beacon.registry.Registry;
import io.beacon.support.Http;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** {@code GET /prometheus/targets} over real HTTP: shape, filtering by name, only UP, bad input. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class PrometheusTargetsEndpointIT {

    @LocalServerPort
    int port;
    @Autowired
    Registry registry;
    @Autowired
    Clock clock;

    @AfterEach
    void cleanUp() {
        registry.instances().toList().forEach(i -> registry.deregister(i.key()));
    }

    @Test
    void listsOnlyUpInstancesAsTargetGroups() {
        Http http = new Http(port);
        http.post("/register", "{\"name\":\"orders\",\"id\":\"o-1\",\"address\":\"10.0.0.1\",\"port\":8080,\"version\":\"1.2\"}");
        http.post("/register", "{\"name\":\"orders\",\"id\":\"o-2\",\"address\":\"10.0.0.2\",\"port\":8080}");
        http.post("/register", "{\"name\":\"billing\",\"id\":\"b-1\",\"address\":\"10.0.0.3\",\"port\":9000}");
        registry.update(InstanceKey.of("orders", "o-2"), i -> i.withState(i.state()
                .withOverride(io.beacon.registry.InstanceStatus.OUT_OF_SERVICE, clock.instant())));

        HttpResponse<String> all = http.get("/prometheus/targets");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode groups = Http.json(all);
        assertThat(groups.size()).isEqualTo(2);
        assertThat(groups.get(0).get("targets").get(0).asString()).isEqualTo("10.0.0.3:9000");
        assertThat(groups.get(1).get("targets").get(0).asString()).isEqualTo("10.0.0.1:8080");
        assertThat(groups.get(1).get("labels").get("__meta_beacon_version").asString()).isEqualTo("1.2");
        assertThat(groups.get(1).get("labels").has("__meta_beacon_zone")).isFalse();

        JsonNode orders = Http.json(http.get("/prometheus/targets?name=ORDERS"));
        assertThat(orders.size()).isEqualTo(1);
        assertThat(orders.get(0).get("labels").get("__meta_beacon_instance_id").asString()).isEqualTo("o-1");
        assertThat(http.get("/prometheus/targets?name=nothing").body()).isEqualTo("[]");
    }

    @Test
    void rejectsUnknownParametersAndBadNames() {
        Http http = new Http(port);
        HttpResponse<String> unknown = http.get("/prometheus/targets?service=orders");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(unknown.body()).contains("service");
        assertThat(http.get("/prometheus/targets?name=bad%20name").statusCode()).isEqualTo(400);
    }
}
