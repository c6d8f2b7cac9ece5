package io.beacon.outlier;

import io.beacon.support.BeaconWebMvcTest;
import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.policy.PolicyStore;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.Registry;
import io.beacon.support.MutableClock;
import io.beacon.support.TestInstances;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP contract of {@code POST /report} without a server: the three body shapes, every violation named
 * by its JSON path, unknown instances, the body-size limit, and rejected requests recording nothing. The
 * real registry and {@link OutlierDetector}; the body limit is lowered to 512 bytes.
 */
@BeaconWebMvcTest(value = ReportController.class, properties = "beacon.limits.max-body-bytes=512")
@Import({PolicyStore.class, ReportControllerTest.Detector.class})
class ReportControllerTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class Detector {
        @Bean
        OutlierDetector outlierDetector(Registry registry, PolicyStore policies, OutlierProperties properties,
                Clock clock) {
            return new OutlierDetector(registry, policies, properties, clock, new SimpleMeterRegistry());
        }
    }

    @Autowired
    MockMvcTester mvc;
    @Autowired
    Registry registry;
    @Autowired
    OutlierDetector detector;
    @Autowired
    MutableClock clock;
    @Autowired
    JsonMapper json;

    @BeforeEach
    void setUp() {
        registry.instances().toList().forEach(i -> registry.deregister(i.key()));
        for (String id : List.of("r1", "r2", "r3")) {
            registry.register(TestInstances.instance("reported", id, clock.instant()), clock.instant());
        }
    }

    private MvcTestResult report(String body) {
        return mvc.post().uri("/report").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    private JsonNode body(MvcTestResult result) {
        return json.readTree(result.getResponse().getContentAsByteArray());
    }

    /** A problem answer after which no instance has a breaker record: its body. */
    private JsonNode rejected(String body, int status) {
        MvcTestResult result = report(body);
        assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = body(result);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("instance").asString()).isEqualTo("/report");
        assertThat(problem.toString()).doesNotContain("Exception", "io.beacon", "java.");
        assertThat(registry.instances()).noneMatch(i -> i.state().ejected());
        return problem;
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    @Test
    void singleReportIsRecorded() {
        MvcTestResult result = report("{\"name\":\"reported\",\"id\":\"r1\",\"outcome\":\"failure\",\"latencyMs\":40}");
        assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
        JsonNode body = body(result);
        assertThat(body.get("accepted").asInt()).isEqualTo(1);
        assertThat(body.get("recorded").asInt()).isEqualTo(1);
        assertThat(body.at("/results/0/name").asString()).isEqualTo("reported");
        assertThat(body.at("/results/0/id").asString()).isEqualTo("r1");
        assertThat(body.at("/results/0/breaker").asString()).isEqualTo("CLOSED");
        assertThat(body.at("/results/0/ejected").asBoolean()).isFalse();
    }

    @Test
    void arrayAndBatchShapesEjectAfterConsecutiveFailures() {
        String failure = "{\"name\":\"reported\",\"id\":\"r1\",\"outcome\":\"failure\"}";
        JsonNode array = body(report("[" + failure + "," + failure + "," + failure + "," + failure + "]"));
        assertThat(array.get("accepted").asInt()).isEqualTo(4);
        assertThat(array.at("/results/3/ejected").asBoolean()).isFalse();
        JsonNode batch = body(report("{\"reports\":[" + failure + "]}"));
        assertThat(batch.at("/results/0/breaker").asString()).isEqualTo("OPEN");
        assertThat(batch.at("/results/0/ejected").asBoolean()).isTrue();
        assertThat(batch.at("/results/0/ejectedUntil").asString()).isEqualTo(clock.instant().plusSeconds(30).toString());
        assertThat(registry.get(InstanceKey.of("reported", "r1")).orElseThrow().state().ejected()).isTrue();
        // reports about an ejected instance are not recorded
        JsonNode ignored = body(report(failure));
        assertThat(ignored.get("recorded").asInt()).isZero();
        assertThat(ignored.at("/results/0/recorded").asBoolean()).isFalse();
    }

    @Test
    void everyViolationIsNamedByItsPathAndNothingIsRecorded() {
        JsonNode problem = rejected("[{\"name\":\"reported\",\"id\":\"r1\",\"outcome\":\"failure\"},"
                + "{\"name\":\"reported\",\"id\":\"r1\",\"outcome\":\"maybe\",\"latencyMs\":-1,\"extra\":1}]", 400);
        assertThat(problem.get("title").asString()).isEqualTo("Invalid request");
        assertThat(fields(problem)).containsExactlyInAnyOrder("[1].outcome", "[1].latencyMs", "[1].extra");
        assertThat(problem.get("detail").asString()).isEqualTo("3 fields are invalid; see 'errors'.");
        assertThat(detector.state(InstanceKey.of("reported", "r1"))).isEqualTo(CircuitBreaker.State.CLOSED);
        for (int n = 0; n < 4; n++) {
            assertThat(report("{\"name\":\"reported\",\"id\":\"r1\",\"outcome\":\"failure\"}")).hasStatusOk();
        }
        // five consecutive failures eject: had the rejected request recorded one, r1 would be ejected now
        assertThat(registry.get(InstanceKey.of("reported", "r1")).orElseThrow().state().ejected()).isFalse();
    }

    @Test
    void singleReportViolations() {
        JsonNode outcome = rejected("{\"name\":\"reported\",\"id\":\"r1\",\"outcome\":\"meh\"}", 400);
        assertThat(outcome.get("detail").asString()).isEqualTo("Invalid 'outcome': must be \"success\" or \"failure\"");
        assertThat(fields(rejected("{\"outcome\":\"success\"}", 400))).containsExactlyInAnyOrder("name", "id");
        assertThat(fields(rejected("{\"name\":\"bad name!\",\"id\":\"r1\",\"outcome\":\"success\"}", 400)))
                .containsExactly("name");
        assertThat(fields(rejected("{\"name\":\"reported\",\"id\":\"r1\",\"outcome\":\"success\",\"latencyMs\":\"fast\"}",
                400))).containsExactly("latencyMs");
        assertThat(fields(rejected("{\"reports\":[],\"extra\":1}", 400))).containsExactlyInAnyOrder("reports", "reports");
        assertThat(fields(rejected("{\"reports\":{}}", 400))).containsExactly("reports");
        assertThat(fields(rejected("[1]", 400))).containsExactly("[0]");
    }

    @Test
    void emptyAndMalformedBodiesAre400() {
        JsonNode empty = rejected("[]", 400);
        assertThat(empty.get("detail").asString()).isEqualTo("Invalid 'body': must hold at least one report");
        assertThat(rejected("not json", 400).get("title").asString()).isEqualTo("Malformed request body");
        assertThat(rejected("null", 400).get("title").asString()).isIn("Malformed request body", "Invalid request");
    }

    @Test
    void unknownInstanceIs404AndNothingIsRecorded() {
        JsonNode problem = rejected("{\"reports\":[{\"name\":\"reported\",\"id\":\"r1\",\"outcome\":\"failure\"},"
                + "{\"name\":\"reported\",\"id\":\"ghost\",\"outcome\":\"failure\"}]}", 404);
        assertThat(problem.get("title").asString()).isEqualTo("Instance not found");
        assertThat(problem.get("detail").asString()).isEqualTo("Instance 'ghost' of service 'reported' is not "
                + "registered. Register it again with POST /register.");
        assertThat(detector.state(InstanceKey.of("reported", "r1"))).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void bodyOverTheLimitIs413() {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            many.append(i == 0 ? "" : ",").append("{\"name\":\"reported\",\"id\":\"r2\",\"outcome\":\"failure\"}");
        }
        JsonNode problem = rejected(many.append(']').toString(), 413);
        assertThat(problem.get("title").asString()).isEqualTo("Content too large");
        assertThat(problem.get("detail").asString()).isEqualTo("The request body exceeds the limit of 512 bytes.");
    }
}
