package io.beacon.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.Registry;
import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * Capacity and size limits over real HTTP, native and Eureka: at each limit the last registration accepted,
 * the first refused with a problem naming the limit and its value, nothing registered changed, and the
 * refusal counted in {@code beacon_limit_rejections_total}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "server.address=127.0.0.1", "beacon.sweep.interval=1h", "beacon.self-preservation.enabled=false",
    "beacon.limits.max-instances-per-service=2", "beacon.limits.max-services=3", "beacon.limits.max-instances=4",
    "beacon.limits.max-metadata-bytes=64", "beacon.limits.max-tags=2"})
@Import(TestClockConfiguration.class)
class CapacityLimitsHttpIT {

    private static final Pattern REJECTIONS =
            Pattern.compile("beacon_limit_rejections_total\\{limit=\"([a-z-]+)\"[^}]*} (\\S+)");

    private static final String EUREKA_ORDERS = """
            {"instance":{"instanceId":"10.0.0.5:orders:8080","hostName":"orders-1.local","app":"ORDERS",
             "ipAddr":"10.0.0.5","status":"UP","overriddenStatus":"UNKNOWN",
             "port":{"$":8080,"@enabled":"true"},"securePort":{"$":443,"@enabled":"false"},"countryId":1,
             "dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"},
             "leaseInfo":{"renewalIntervalInSecs":30,"durationInSecs":90},
             "metadata":{"@class":"java.util.Collections$EmptyMap"},
             "vipAddress":"orders","secureVipAddress":"orders",
             "lastUpdatedTimestamp":"1700000000000","lastDirtyTimestamp":"1700000000000"}}""";

    @LocalServerPort
    int port;
    @Autowired
    Registry registry;

    private Http http;

    @BeforeEach
    void empty() {
        http = new Http(port);
        registry.instances().toList().forEach(i -> registry.deregister(i.key()));
    }

    private HttpResponse<String> register(String service, int port) {
        return http.post("/register", "{\"name\":\"" + service + "\",\"address\":\"10.1.2.3\",\"port\":" + port + "}");
    }

    private double rejections(String limit) {
        Matcher m = REJECTIONS.matcher(http.get("/actuator/prometheus").body());
        while (m.find()) {
            if (m.group(1).equals(limit)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no beacon_limit_rejections_total{limit=\"" + limit + "\"}");
    }

    private static JsonNode assertConflict(HttpResponse<String> response, String limit, int value) {
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        JsonNode body = Http.json(response);
        assertThat(body.get("title").asString()).isEqualTo("Capacity limit reached");
        assertThat(body.get("detail").asString()).contains("beacon.limits.max-" + limit + "=" + value);
        assertThat(body.get("limit").asString()).isEqualTo(limit);
        assertThat(body.get("value").asInt()).isEqualTo(value);
        return body;
    }

    @Test
    void instancesPerService() {
        double before = rejections("instances-per-service");
        assertThat(register("orders", 1).statusCode()).isEqualTo(201);
        assertThat(register("orders", 2).statusCode()).isEqualTo(201);
        String index = http.get("/services/orders").headers().firstValue("X-Beacon-Index").orElseThrow();

        JsonNode problem = assertConflict(register("orders", 3), "instances-per-service", 2);
        assertThat(problem.get("detail").asString()).isEqualTo("Service 'orders' already has 2 instances, the "
                + "limit beacon.limits.max-instances-per-service=2; a new instance is refused until some leave "
                + "(re-registering a known id still works).");
        assertThat(problem.get("detail").asString()).doesNotContain("Exception", "io.beacon");
        // a Eureka registration of a new instance is refused the same way
        assertConflict(http.post("/eureka/apps/ORDERS", EUREKA_ORDERS), "instances-per-service", 2);

        assertThat(http.get("/services/orders").headers().firstValue("X-Beacon-Index")).hasValue(index);
        assertThat(Http.json(http.get("/services/orders")).get("instances")).hasSize(2);
        // re-registering a known id is never refused
        assertThat(register("orders", 2).statusCode()).isEqualTo(200);
        assertThat(rejections("instances-per-service")).isEqualTo(before + 2);
    }

    @Test
    void servicesAndInstancesInTotal() {
        double services = rejections("services");
        double instances = rejections("instances");
        assertThat(register("a", 1).statusCode()).isEqualTo(201);
        assertThat(register("b", 1).statusCode()).isEqualTo(201);
        assertThat(register("c", 1).statusCode()).isEqualTo(201);

        assertConflict(register("d", 1), "services", 3);
        assertThat(http.get("/services/d").statusCode()).isEqualTo(404);

        assertThat(register("a", 2).statusCode()).isEqualTo(201);
        assertConflict(register("b", 2), "instances", 4);
        assertThat(registry.size()).isEqualTo(4);

        assertThat(http.delete("/deregister/c/10.1.2.3:1").statusCode()).isEqualTo(204);
        assertThat(register("d", 1).statusCode()).isEqualTo(201);
        assertThat(rejections("services")).isEqualTo(services + 1);
        assertThat(rejections("instances")).isEqualTo(instances + 1);
    }

    @Test
    void metadataBytesAndTags() {
        double bytes = rejections("metadata-bytes");
        double tags = rejections("tags");
        // key 4 + value 60 = 64 bytes: the last accepted
        assertThat(http.post("/register", "{\"name\":\"meta\",\"address\":\"10.1.2.3\",\"port\":1,"
                + "\"metadata\":{\"team\":\"" + "x".repeat(60) + "\"},\"tags\":[\"a\",\"b\"]}").statusCode())
                .isEqualTo(201);

        HttpResponse<String> tooLarge = http.post("/register", "{\"name\":\"meta\",\"address\":\"10.1.2.3\","
                + "\"port\":1,\"metadata\":{\"team\":\"" + "x".repeat(59) + "é\"}}");
        assertThat(tooLarge.statusCode()).isEqualTo(400);
        JsonNode problem = Http.json(tooLarge);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("metadata");
        assertThat(problem.get("detail").asString()).isEqualTo("Invalid 'metadata': has 65 bytes of keys and "
                + "values (UTF-8); at most 64 are allowed (beacon.limits.max-metadata-bytes)");

        HttpResponse<String> tooManyTags = http.post("/register", "{\"name\":\"meta\",\"address\":\"10.1.2.3\","
                + "\"port\":1,\"tags\":[\"a\",\"b\",\"c\"]}");
        assertThat(tooManyTags.statusCode()).isEqualTo(400);
        assertThat(Http.json(tooManyTags).get("detail").asString()).contains("at most 2");

        JsonNode stored = Http.json(http.get("/services/meta/instances/10.1.2.3:1"));
        assertThat(stored.get("metadata").get("team").asString()).isEqualTo("x".repeat(60));
        assertThat(stored.get("tags")).hasSize(2);
        assertThat(rejections("metadata-bytes")).isEqualTo(bytes + 1);
        assertThat(rejections("tags")).isEqualTo(tags + 1);
    }
}
