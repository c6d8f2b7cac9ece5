package io.beacon.balance;

import io.beacon.support.BeaconWebMvcTest;
import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.policy.PolicyStore;
import io.beacon.policy.ServicePolicy;
import io.beacon.registration.RegistrationRequest;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.support.MutableClock;
import io.beacon.support.TestInstances;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP contract of {@code GET /discover/one} without a server: the pick and its index header, the
 * filters, and the 400 and 404 problems. The real in-memory registry, load balancer and policy store; every
 * {@code @ConfigurationProperties} record with its defaults.
 */
@BeaconWebMvcTest(DiscoverOneController.class)
@Import({LoadBalancer.class, PolicyStore.class})
class DiscoverOneControllerTest {

    static final String ALLOWED = "is not a known parameter; allowed: name, tag, zone, version, status, meta.KEY, "
            + "key, prefer_zone, strategy";

    @Autowired
    MockMvcTester mvc;
    @Autowired
    Registry registry;
    @Autowired
    PolicyStore policies;
    @Autowired
    MutableClock clock;
    @Autowired
    JsonMapper json;

    @BeforeEach
    void setUp() {
        registry.instances().toList().forEach(i -> registry.deregister(i.key()));
    }

    private void register(String service, String id, List<String> tags, String zone, Map<String, String> metadata) {
        registry.register(TestInstances.validator().toInstance(new RegistrationRequest(service, "10.0.0.1", 8080, id,
                metadata, tags, zone, null, null, null, null), clock.instant()), clock.instant());
    }

    private void register(String service, String id) {
        register(service, id, List.of(), null, Map.of());
    }

    private MvcTestResult get(String query) {
        return mvc.get().uri("/discover/one?" + query).exchange();
    }

    private JsonNode body(MvcTestResult result) {
        return json.readTree(result.getResponse().getContentAsByteArray());
    }

    private List<String> picks(String query, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            MvcTestResult result = get(query);
            assertThat(result).hasStatusOk();
            ids.add(body(result).get("id").asString());
        }
        return ids;
    }

    /** A problem answer: its body, after checking the status, media type and that it names no internals. */
    private JsonNode problem(String query, int status) {
        MvcTestResult result = get(query);
        assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = body(result);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("instance").asString()).isEqualTo("/discover/one");
        assertThat(problem.toString()).doesNotContain("Exception", "io.beacon", "java.");
        return problem;
    }

    @Test
    void roundRobinByDefaultInIdOrderWithTheIndexHeader() {
        register("rr-svc", "c");
        register("rr-svc", "a");
        register("rr-svc", "b");
        MvcTestResult first = get("name=rr-svc");
        assertThat(first).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON)
                .hasHeader("X-Beacon-Index", Long.toString(registry.index(ServiceName.of("rr-svc"))));
        JsonNode body = body(first);
        assertThat(body.get("id").asString()).isEqualTo("a");
        assertThat(body.get("name").asString()).isEqualTo("rr-svc");
        assertThat(body.get("address").asString()).isEqualTo("10.0.0.1");
        assertThat(body.get("status").asString()).isEqualTo("UP");
        assertThat(picks("name=rr-svc", 5)).containsExactly("b", "c", "a", "b", "c");
    }

    @Test
    void filtersApplyToThePick() {
        register("filter-one", "a", List.of("blue"), "z1", Map.of());
        register("filter-one", "b", List.of("green"), "z1", Map.of());
        register("filter-one", "c", List.of("blue", "green"), "z2", Map.of("env", "prod"));
        assertThat(picks("name=filter-one&tag=green", 4)).containsExactly("b", "c", "b", "c");
        assertThat(picks("name=filter-one&tag=blue&tag=green", 2)).containsExactly("c", "c");
        assertThat(picks("name=filter-one&meta.env=prod", 2)).containsExactly("c", "c");
        assertThat(picks("name=filter-one&zone=z1&strategy=random", 20)).containsOnly("a", "b");
        assertThat(picks("name=filter-one&prefer_zone=z2", 2)).containsOnly("c");
    }

    @Test
    void noneAvailableIs404Problem() {
        JsonNode unknown = problem("name=nobody-here", 404);
        assertThat(unknown.get("title").asString()).isEqualTo("No instance available");
        assertThat(unknown.get("detail").asString()).isEqualTo("Service 'nobody-here' has no available instance "
                + "matching the query. GET /discover?name=nobody-here&status=ANY lists every instance.");
        register("filtered-out", "a", List.of(), "z1", Map.of());
        assertThat(problem("name=filtered-out&zone=z2", 404).get("title").asString()).isEqualTo("No instance available");
    }

    @Test
    void unknownStrategyIsNamedWithTheKnownOnes() {
        register("bad-req", "a");
        JsonNode problem = problem("name=bad-req&strategy=fastest", 400);
        assertThat(problem.get("title").asString()).isEqualTo("Invalid request");
        assertThat(problem.get("detail").asString()).isEqualTo("Invalid 'strategy': 'fastest' is not one of "
                + "consistent_hash, least_connections, random, round_robin, weighted");
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("strategy");
        assertThat(problem("name=bad-req&strategy=random&strategy=weighted", 400).at("/errors/0/field").asString())
                .isEqualTo("strategy");
    }

    @Test
    void consistentHashNeedsAKey() {
        register("bad-req", "a");
        JsonNode problem = problem("name=bad-req&strategy=consistent_hash", 400);
        assertThat(problem.get("detail").asString()).isEqualTo("Invalid 'key': is required for strategy consistent_hash");
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("key");
        assertThat(picks("name=bad-req&strategy=consistent_hash&key=user-1", 1)).containsExactly("a");
    }

    @Test
    void parametersOfOtherEndpointsAndEmptyValuesAreRejected() {
        register("bad-req", "a");
        JsonNode wait = problem("name=bad-req&wait=5s", 400);
        assertThat(wait.get("detail").asString()).isEqualTo("Invalid 'wait': " + ALLOWED);
        JsonNode noName = problem("", 400);
        assertThat(noName.at("/errors/0/field").asString()).isEqualTo("name");
        assertThat(noName.at("/errors/0/message").asString()).isEqualTo("is required");
        JsonNode emptyZone = problem("name=bad-req&prefer_zone=", 400);
        assertThat(emptyZone.at("/errors/0/field").asString()).isEqualTo("prefer_zone");
        assertThat(emptyZone.at("/errors/0/message").asString()).isEqualTo("must not be empty");
        JsonNode several = problem("name=bad-req&strategy=fastest&prefer_zone=", 400);
        assertThat(several.get("detail").asString()).isEqualTo("2 fields are invalid; see 'errors'.");
        assertThat(several.get("errors")).hasSize(2);
        // the filters are checked first: an unknown parameter is answered before the pick's own parameters
        assertThat(problem("name=bad-req&strategy=fastest&color=red", 400).at("/errors/0/field").asString())
                .isEqualTo("color");
    }

    @Test
    void thePolicyStrategyIsTheDefault() {
        register("policy-svc", "a");
        register("policy-svc", "b");
        policies.put(ServiceName.of("policy-svc"), new ServicePolicy("consistent_hash", null, null));
        assertThat(problem("name=policy-svc", 400).at("/errors/0/field").asString()).isEqualTo("key");
        assertThat(picks("name=policy-svc&key=x", 3)).hasSize(3).containsOnly(picks("name=policy-svc&key=x", 1).get(0));
        assertThat(picks("name=policy-svc&strategy=round_robin", 2)).containsExactly("a", "b");
    }

    @Test
    void ejectedInstancesAreNotPicked() {
        register("ejected-svc", "a");
        register("ejected-svc", "b");
        registry.update(InstanceKey.of("ejected-svc", "a"), i -> i.withState(i.state().withEjected(true, clock.instant())));
        assertThat(picks("name=ejected-svc", 3)).containsOnly("b");
    }
}
