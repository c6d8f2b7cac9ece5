package io.beacon.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.InstanceKey;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.support.BeaconWebMvcTest;
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
 * The HTTP contract of {@code PUT /services/{name}/instances/{id}/weight}: the new weight with the index
 * header, and 400/404 problems that leave the instance's weight as it was.
 */
@BeaconWebMvcTest(WeightController.class)
class WeightControllerTest {

    static final String URI = "/services/{name}/instances/{id}/weight";

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

    private MvcTestResult weight(String id, String body) {
        return mvc.put().uri(URI, "orders", id).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    private JsonNode rejected(MvcTestResult result, int status) {
        assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = json.readTree(result.getResponse().getContentAsByteArray());
        assertThat(problem.toString()).doesNotContain("Exception", "io.beacon", "java.");
        assertThat(registry.get(key).orElseThrow().weight()).isEqualTo(100);
        return problem;
    }

    @Test
    void setsTheWeightAndBumpsTheIndex() {
        long before = registry.index(ServiceName.of("orders"));
        MvcTestResult result = weight(key.id(), "{\"weight\":250}");
        long after = registry.index(ServiceName.of("orders"));

        assertThat(after).isGreaterThan(before);
        assertThat(result).hasStatusOk().hasHeader("X-Beacon-Index", Long.toString(after));
        assertThat(json.readTree(result.getResponse().getContentAsByteArray()).get("weight").asInt()).isEqualTo(250);
        assertThat(registry.get(key).orElseThrow().weight()).isEqualTo(250);
    }

    @Test
    void theSameWeightChangesNothing() {
        long before = registry.index(ServiceName.of("orders"));
        assertThat(weight(key.id(), "{\"weight\":100}")).hasStatusOk();
        assertThat(registry.index(ServiceName.of("orders"))).isEqualTo(before);
    }

    @Test
    void aMissingOrOutOfRangeWeightIsNamed() {
        assertThat(rejected(weight(key.id(), "{}"), 400).get("detail").asString())
                .isEqualTo("Invalid 'weight': is required: an integer from 1 to 1000");
        assertThat(rejected(weight(key.id(), "{\"weight\":0}"), 400).get("detail").asString())
                .isEqualTo("Invalid 'weight': must be between 1 and 1000");
        assertThat(rejected(weight(key.id(), "{\"weight\":1001}"), 400).at("/errors/0/field").asString())
                .isEqualTo("weight");
    }

    @Test
    void anUnknownInstanceIs404() {
        assertThat(rejected(weight("10.0.0.9:8080", "{\"weight\":50}"), 404).get("title").asString())
                .isEqualTo("Instance not found");
    }
}
