package io.beacon.policy;

import io.beacon.support.BeaconWebMvcTest;
import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.ServiceName;
import java.util.ArrayList;
import java.util.List;
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
 * The HTTP contract of {@code /services/{name}/policy} without a server: store, show and remove a policy,
 * every violation listed at once, and a rejected body changing nothing. The real {@link PolicyStore}.
 */
@BeaconWebMvcTest(PolicyController.class)
@Import(PolicyStore.class)
class PolicyControllerTest {

    static final String VALID = "{\"strategy\":\"weighted\",\"split\":[{\"version\":\"v1\",\"weight\":90},"
            + "{\"version\":\"v2\",\"weight\":10}]}";

    @Autowired
    MockMvcTester mvc;
    @Autowired
    PolicyStore store;
    @Autowired
    JsonMapper json;

    @BeforeEach
    void setUp() {
        for (String service : List.of("policy-ok", "policy-bad", "policy-zero", "policy-json")) {
            store.remove(ServiceName.of(service));
        }
    }

    private MvcTestResult put(String service, String body) {
        return mvc.put().uri("/services/{name}/policy", service).contentType(MediaType.APPLICATION_JSON)
                .content(body).exchange();
    }

    private MvcTestResult get(String service) {
        return mvc.get().uri("/services/{name}/policy", service).exchange();
    }

    private JsonNode body(MvcTestResult result) {
        return json.readTree(result.getResponse().getContentAsByteArray());
    }

    /** A 400 problem for a PUT: its body, after checking the status, media type and that it names no internals. */
    private JsonNode rejected(String service, String body) {
        MvcTestResult result = put(service, body);
        assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = body(result);
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.toString()).doesNotContain("Exception", "io.beacon", "java.");
        return problem;
    }

    private List<String> rejectedFields(String service, String body) {
        List<String> fields = new ArrayList<>();
        rejected(service, body).get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    @Test
    void storesAndReturnsAValidPolicy() {
        MvcTestResult put = put("policy-ok", VALID);
        assertThat(put).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
        assertThat(body(put)).isEqualTo(json.readTree(VALID));
        JsonNode got = body(get("POLICY-OK"));
        assertThat(got.get("strategy").asString()).isEqualTo("weighted");
        assertThat(got.get("split").get(1).get("version").asString()).isEqualTo("v2");
        assertThat(got.get("split").get(1).get("weight").asInt()).isEqualTo(10);
        assertThat(store.get(ServiceName.of("policy-ok")).strategy()).isEqualTo("weighted");
    }

    @Test
    void noPolicyIsAnEmptyObject() {
        MvcTestResult result = get("policy-none");
        assertThat(result).hasStatusOk();
        assertThat(result.getResponse().getContentAsByteArray()).asString().isEqualTo("{}");
    }

    @Test
    void rejectsEveryViolationAtOnceAndChangesNothing() {
        assertThat(put("policy-bad", VALID)).hasStatusOk();
        JsonNode problem = rejected("policy-bad", "{\"strategy\":\"fastest\",\"split\":[{\"version\":\"v1\","
                + "\"weight\":-1},{\"weight\":5},{\"version\":\"v1\",\"weight\":2}]}");
        assertThat(problem.get("title").asString()).isEqualTo("Invalid request");
        assertThat(problem.get("detail").asString()).isEqualTo("4 fields are invalid; see 'errors'.");
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).containsExactlyInAnyOrder("strategy", "split[0].weight", "split[1].version",
                "split[2].version");
        JsonNode after = body(get("policy-bad"));
        assertThat(after.get("strategy").asString()).isEqualTo("weighted");
        assertThat(after.get("split").size()).isEqualTo(2);
    }

    @Test
    void unknownStrategyNamesTheKnownOnes() {
        JsonNode problem = rejected("policy-bad", "{\"strategy\":\"fastest\"}");
        assertThat(problem.get("detail").asString()).isEqualTo("Invalid 'strategy': must be one of consistent_hash, "
                + "least_connections, random, round_robin, weighted");
        assertThat(problem.get("instance").asString()).isEqualTo("/services/policy-bad/policy");
    }

    @Test
    void splitNeedsAPositiveWeight() {
        assertThat(rejectedFields("policy-zero", "{\"split\":[{\"version\":\"v1\",\"weight\":0}]}"))
                .containsExactly("split");
        assertThat(rejected("policy-zero", "{\"split\":[{\"version\":\"v1\",\"weight\":0}]}").at("/errors/0/message")
                .asString()).isEqualTo("needs at least one positive weight");
        assertThat(rejectedFields("policy-zero", "{\"split\":[{\"version\":\"v1\",\"weight\":1000001}]}"))
                .containsExactly("split[0].weight");
        assertThat(get("policy-zero").getResponse().getContentAsByteArray()).asString().isEqualTo("{}");
    }

    @Test
    void outlierThresholdsAreRangeChecked() {
        JsonNode problem = rejected("policy-bad", "{\"outlier\":{\"consecutiveFailures\":0,"
                + "\"baseEjectionSeconds\":60,\"maxEjectionSeconds\":30}}");
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).containsExactlyInAnyOrder("outlier.consecutiveFailures", "outlier.maxEjectionSeconds");
    }

    @Test
    void malformedBodiesAre400() {
        JsonNode notJson = rejected("policy-json", "{\"strategy\":");
        assertThat(notJson.get("title").asString()).isEqualTo("Malformed request body");
        assertThat(notJson.get("detail").asString()).startsWith("The body is not valid JSON: ").endsWith("(line 1, column 13).");
        JsonNode wrongType = rejected("policy-json", "{\"split\":[{\"version\":\"v1\",\"weight\":\"lots\"}]}");
        assertThat(wrongType.get("title").asString()).isEqualTo("Malformed request body");
        assertThat(wrongType.at("/errors/0/field").asString()).isEqualTo("split[0].weight");
        assertThat(wrongType.get("detail").asString()).isEqualTo("Field 'split[0].weight' must be an integer, not a string.");
        assertThat(get("policy-json").getResponse().getContentAsByteArray()).asString().isEqualTo("{}");
    }

    @Test
    void invalidServiceNameIs400Problem() {
        JsonNode problem = rejected("bad name!", VALID);
        assertThat(problem.get("title").asString()).isEqualTo("Invalid service name");
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("name");
        assertThat(get("bad name!")).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aBodyThatIsNotJsonIs415Problem() {
        MvcTestResult result = mvc.put().uri("/services/policy-ok/policy").contentType(MediaType.TEXT_PLAIN)
                .content("strategy=weighted").exchange();
        assertThat(result).hasStatus(415).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(body(result).get("status").asInt()).isEqualTo(415);
        assertThat(store.get(ServiceName.of("policy-ok"))).isEqualTo(ServicePolicy.NONE);
    }

    @Test
    void deleteIsIdempotent() {
        assertThat(put("policy-ok", VALID)).hasStatusOk();
        assertThat(mvc.delete().uri("/services/policy-ok/policy").exchange()).hasStatus(204);
        assertThat(store.get(ServiceName.of("policy-ok"))).isEqualTo(ServicePolicy.NONE);
        assertThat(mvc.delete().uri("/services/policy-ok/policy").exchange()).hasStatus(204);
        assertThat(mvc.delete().uri("/services/{name}/policy", "bad name!").exchange()).hasStatus(400);
    }
}
