package io.beacon.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/** {@code PUT /services/{name}/policy} validation over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
class PolicyHttpIT {

    private static final String VALID = "{\"strategy\":\"weighted\",\"split\":[{\"version\":\"v1\",\"weight\":90},"
            + "{\"version\":\"v2\",\"weight\":10}]}";

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    private List<String> rejectedFields(String service, String body) {
        HttpResponse<String> response = http.put("/services/" + service + "/policy", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        Http.json(response).get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    @Test
    void storesAndReturnsAValidPolicy() {
        HttpResponse<String> put = http.put("/services/policy-ok/policy", VALID);
        assertThat(put.statusCode()).isEqualTo(200);
        JsonNode got = Http.json(http.get("/services/policy-ok/policy"));
        assertThat(got.get("strategy").asString()).isEqualTo("weighted");
        assertThat(got.get("split").get(1).get("version").asString()).isEqualTo("v2");
        assertThat(got.get("split").get(1).get("weight").asInt()).isEqualTo(10);
    }

    @Test
    void rejectsEveryViolationAtOnceAndChangesNothing() {
        assertThat(http.put("/services/policy-bad/policy", VALID).statusCode()).isEqualTo(200);
        assertThat(rejectedFields("policy-bad", "{\"strategy\":\"fastest\",\"split\":[{\"version\":\"v1\",\"weight\":-1},"
                + "{\"weight\":5},{\"version\":\"v1\",\"weight\":2}]}"))
                .containsExactlyInAnyOrder("strategy", "split[0].weight", "split[1].version", "split[2].version");
        JsonNode after = Http.json(http.get("/services/policy-bad/policy"));
        assertThat(after.get("strategy").asString()).isEqualTo("weighted");
        assertThat(after.get("split").size()).isEqualTo(2);
    }

    @Test
    void splitNeedsAPositiveWeight() {
        assertThat(rejectedFields("policy-zero", "{\"split\":[{\"version\":\"v1\",\"weight\":0}]}"))
                .containsExactly("split");
        assertThat(rejectedFields("policy-zero", "{\"split\":[{\"version\":\"v1\",\"weight\":1000001}]}"))
                .containsExactly("split[0].weight");
        assertThat(http.get("/services/policy-zero/policy").body()).isEqualTo("{}");
    }

    @Test
    void malformedBodiesAre400() {
        HttpResponse<String> notJson = http.put("/services/policy-json/policy", "{\"strategy\":");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(rejectedFields("policy-json", "{\"split\":[{\"version\":\"v1\",\"weight\":\"lots\"}]}"))
                .containsExactly("split[0].weight");
        assertThat(http.put("/services/bad name!/policy".replace(" ", "%20"), VALID).statusCode()).isEqualTo(400);
    }

    @Test
    void everyPolicyAnswerCarriesTheServicesIndex() {
        assertThat(http.get("/services/policy-index/policy").headers().firstValue("X-Beacon-Index")).hasValue("0");
        HttpResponse<String> registered = http.post("/register",
                "{\"name\":\"policy-index\",\"address\":\"10.0.0.1\",\"port\":8080}");
        String index = registered.headers().firstValue("X-Beacon-Index").orElseThrow();
        assertThat(Long.parseLong(index)).isPositive();

        HttpResponse<String> put = http.put("/services/policy-index/policy", VALID);
        HttpResponse<String> get = http.get("/services/policy-index/policy");
        HttpResponse<String> delete = http.delete("/services/policy-index/policy");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(delete.statusCode()).isEqualTo(204);
        for (HttpResponse<String> r : List.of(put, get, delete)) {
            assertThat(r.headers().allValues("X-Beacon-Index")).as(r.request().method()).containsExactly(index);
        }
    }
}
