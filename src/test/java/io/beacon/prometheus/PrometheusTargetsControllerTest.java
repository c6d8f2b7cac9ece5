package io.beacon.prometheus;

import io.beacon.support.BeaconWebMvcTest;
import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registration.RegistrationRequest;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.support.MutableClock;
import io.beacon.support.TestInstances;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP contract of {@code GET /prometheus/targets} without a server: one target group per discoverable
 * instance with its labels, the {@code name} filter, and the 400 problems. The real in-memory registry.
 */
@BeaconWebMvcTest(PrometheusTargetsController.class)
class PrometheusTargetsControllerTest {

    @Autowired
    MockMvcTester mvc;
    @Autowired
    Registry registry;
    @Autowired
    MutableClock clock;
    @Autowired
    JsonMapper json;

    @BeforeEach
    void setUp() {
        registry.instances().toList().forEach(i -> registry.deregister(i.key()));
        register("orders", "o-1", "10.0.0.1", 8080, "1.2", null, List.of(), Map.of());
        register("orders", "o-2", "10.0.0.2", 8080, null, null, List.of(), Map.of());
        register("billing", "b-1", "fd00::3", 9000, null, "z1", List.of("web", "blue"),
                Map.of("team.name", "payments", "team-name", "other"));
        registry.update(InstanceKey.of("orders", "o-2"),
                i -> i.withState(i.state().withOverride(InstanceStatus.OUT_OF_SERVICE, clock.instant())));
    }

    private void register(String service, String id, String address, int port, String version, String zone,
            List<String> tags, Map<String, String> metadata) {
        registry.register(TestInstances.validator().toInstance(new RegistrationRequest(service, address, port, id,
                metadata, tags, zone, version, null, null, null), clock.instant()), clock.instant());
    }

    private MvcTestResult get(String query) {
        return mvc.get().uri("/prometheus/targets" + query).exchange();
    }

    private JsonNode body(MvcTestResult result) {
        return json.readTree(result.getResponse().getContentAsByteArray());
    }

    @Test
    void listsOnlyDiscoverableInstancesAsTargetGroups() {
        MvcTestResult all = get("");
        assertThat(all).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
        JsonNode groups = body(all);
        assertThat(groups.size()).isEqualTo(2);
        assertThat(groups.at("/0/targets/0").asString()).isEqualTo("[fd00::3]:9000");
        assertThat(groups.at("/1/targets/0").asString()).isEqualTo("10.0.0.1:8080");
        assertThat(groups.at("/1/labels/__meta_beacon_version").asString()).isEqualTo("1.2");
        assertThat(groups.at("/1/labels").has("__meta_beacon_zone")).isFalse();
        assertThat(groups.at("/1/labels").has("__meta_beacon_tags")).isFalse();
    }

    @Test
    void labelsCarryTheInstanceDescription() {
        JsonNode labels = body(get("?name=billing")).at("/0/labels");
        assertThat(json.convertValue(labels, Map.class)).isEqualTo(Map.of(
                "__meta_beacon_service", "billing",
                "__meta_beacon_instance_id", "b-1",
                "__meta_beacon_zone", "z1",
                "__meta_beacon_tags", ",web,blue,",
                // both keys sanitise to team_name: the first in sorted order ("team-name") wins
                "__meta_beacon_metadata_team_name", "other"));
    }

    @Test
    void nameSelectsOneServiceCaseInsensitively() {
        JsonNode orders = body(get("?name=ORDERS"));
        assertThat(orders.size()).isEqualTo(1);
        assertThat(orders.at("/0/labels/__meta_beacon_instance_id").asString()).isEqualTo("o-1");
        MvcTestResult nothing = get("?name=nothing");
        assertThat(nothing).hasStatusOk();
        assertThat(nothing.getResponse().getContentAsByteArray()).asString().isEqualTo("[]");
    }

    @Test
    void unknownParameterIs400Problem() {
        MvcTestResult unknown = get("?service=orders");
        assertThat(unknown).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = body(unknown);
        assertThat(problem.get("title").asString()).isEqualTo("Invalid request");
        assertThat(problem.get("detail").asString())
                .isEqualTo("Invalid 'service': is not a parameter of /prometheus/targets; use 'name'");
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("service");
        assertThat(problem.get("instance").asString()).isEqualTo("/prometheus/targets");
    }

    @Test
    void invalidNameIs400Problem() {
        MvcTestResult bad = mvc.get().uri("/prometheus/targets?name={name}", "bad name").exchange();
        assertThat(bad).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = body(bad);
        assertThat(problem.get("title").asString()).isEqualTo("Invalid service name");
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("name");
        assertThat(problem.toString()).doesNotContain("Exception", "io.beacon", "java.");
    }
}
