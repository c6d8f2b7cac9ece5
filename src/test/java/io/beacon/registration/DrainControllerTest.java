package io.beacon.registration;

import io.beacon.support.BeaconWebMvcTest;
import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.support.MutableClock;
import io.beacon.support.TestInstances;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP contract of {@code PUT /services/{name}/instances/{id}/status} without a server: drain and
 * undrain, the index header, and the 400/404 problems, none of which changes the instance.
 */
@BeaconWebMvcTest(DrainController.class)
class DrainControllerTest {

    static final String URI = "/services/{name}/instances/{id}/status";

    @Autowired
    MockMvcTester mvc;
    @Autowired
    Registry registry;
    @Autowired
    MutableClock clock;
    @Autowired
    JsonMapper json;

    final InstanceKey key = InstanceKey.of("orders", "10.0.0.5:8080");

    @BeforeEach
    void setUp() {
        registry.instances().toList().forEach(i -> registry.deregister(i.key()));
        registry.register(TestInstances.instance("orders", key.id(), clock.instant()), clock.instant());
    }

    private MvcTestResult status(String service, String id, String body) {
        return mvc.put().uri(URI, service, id).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    private JsonNode body(MvcTestResult result) {
        return json.readTree(result.getResponse().getContentAsByteArray());
    }

    /** A problem answer that left the instance as it was: its body. */
    private JsonNode rejected(MvcTestResult result, int status) {
        assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = body(result);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.toString()).doesNotContain("Exception", "io.beacon", "java.");
        assertThat(registry.get(key).orElseThrow().status()).isEqualTo(InstanceStatus.UP);
        return problem;
    }

    @Test
    void drainsAndUndrainsWithTheIndexHeader() {
        long before = registry.index(ServiceName.of("orders"));
        MvcTestResult drained = status("orders", key.id(), "{\"status\":\"OUT_OF_SERVICE\"}");
        long after = registry.index(ServiceName.of("orders"));
        assertThat(after).isGreaterThan(before);
        assertThat(drained).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON)
                .hasHeader("X-Beacon-Index", Long.toString(after));
        assertThat(body(drained).get("status").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(body(drained).get("id").asString()).isEqualTo(key.id());
        assertThat(registry.get(key).orElseThrow().status()).isEqualTo(InstanceStatus.OUT_OF_SERVICE);

        MvcTestResult undrained = status("ORDERS", key.id(), "{\"status\":\"up\"}");
        assertThat(undrained).hasStatusOk();
        assertThat(body(undrained).get("status").asString()).isEqualTo("UP");
        assertThat(registry.get(key).orElseThrow().status()).isEqualTo(InstanceStatus.UP);
    }

    @Test
    void statusIsRequired() {
        JsonNode problem = rejected(status("orders", key.id(), "{}"), 400);
        assertThat(problem.get("title").asString()).isEqualTo("Invalid request");
        assertThat(problem.get("detail").asString()).isEqualTo("Invalid 'status': is required: OUT_OF_SERVICE or UP");
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("status");
        assertThat(problem.get("instance").asString()).isEqualTo("/services/orders/instances/10.0.0.5:8080/status");
        JsonNode nullBody = rejected(status("orders", key.id(), "null"), 400);
        assertThat(nullBody.get("title").asString()).isEqualTo("Malformed request body");
        assertThat(nullBody.get("detail").asString()).isEqualTo("A JSON body is required.");
    }

    @Test
    void unknownStatusIsNamed() {
        JsonNode problem = rejected(status("orders", key.id(), "{\"status\":\"DRAINING\"}"), 400);
        assertThat(problem.get("detail").asString()).isEqualTo("Invalid 'status': 'DRAINING' is not OUT_OF_SERVICE or UP");
        assertThat(problem.at("/errors/0/message").asString()).isEqualTo("'DRAINING' is not OUT_OF_SERVICE or UP");
        // STALE and DOWN come from leases and checks, not from an operator
        assertThat(rejected(status("orders", key.id(), "{\"status\":\"DOWN\"}"), 400).at("/errors/0/field").asString())
                .isEqualTo("status");
    }

    @Test
    void malformedOrMissingBodyIs400() {
        JsonNode notJson = rejected(status("orders", key.id(), "{\"status\":"), 400);
        assertThat(notJson.get("title").asString()).isEqualTo("Malformed request body");
        JsonNode missing = rejected(mvc.put().uri(URI, "orders", key.id()).contentType(MediaType.APPLICATION_JSON)
                .exchange(), 400);
        assertThat(missing.get("detail").asString()).isEqualTo("A JSON body is required.");
        assertThat(rejected(mvc.put().uri(URI, "orders", key.id()).contentType(MediaType.TEXT_PLAIN)
                .content("OUT_OF_SERVICE").exchange(), 415).get("status").asInt()).isEqualTo(415);
    }

    @Test
    void unknownInstanceIs404Problem() {
        JsonNode problem = rejected(status("orders", "10.0.0.9:8080", "{\"status\":\"OUT_OF_SERVICE\"}"), 404);
        assertThat(problem.get("title").asString()).isEqualTo("Instance not found");
        assertThat(problem.get("detail").asString()).isEqualTo("Instance '10.0.0.9:8080' of service 'orders' is not "
                + "registered. Register it again with POST /register.");
        assertThat(registry.get(InstanceKey.of("orders", "10.0.0.9:8080"))).isEmpty();
    }

    @Test
    void invalidServiceNameIs400Problem() {
        JsonNode problem = rejected(status("bad name!", key.id(), "{\"status\":\"OUT_OF_SERVICE\"}"), 400);
        assertThat(problem.get("title").asString()).isEqualTo("Invalid service name");
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("name");
    }
}
