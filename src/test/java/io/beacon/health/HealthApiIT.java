package io.beacon.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.InstanceKey;
import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;

/** Active checks, drain, reports and panic mode over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "beacon.sweep.interval=1h")
@Import({TestClockConfiguration.class, HealthApiIT.ManualChecks.class})
class HealthApiIT {

    @TestConfiguration(proxyBeanMethods = false)
    static class ManualChecks {
        @Bean
        @Primary
        ManualCheckScheduler manualCheckScheduler() {
            return new ManualCheckScheduler();
        }
    }

    static TestServers servers;

    @LocalServerPort
    int port;
    @Autowired
    HealthCheckScheduler checks;
    Http http;

    @BeforeAll
    static void startServers() {
        servers = new TestServers();
    }

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    void register(String name, String id, String extra) {
        HttpResponse<String> r = http.post("/register", "{\"name\":\"" + name + "\",\"id\":\"" + id
                + "\",\"address\":\"127.0.0.1\",\"port\":8080" + extra + "}");
        assertThat(r.statusCode()).isIn(200, 201);
    }

    JsonNode instance(String name, String id) {
        HttpResponse<String> r = http.get("/services/" + name + "/instances/" + id);
        assertThat(r.statusCode()).isEqualTo(200);
        return Http.json(r);
    }

    int discovered(String name) {
        return Http.json(http.get("/discover?name=" + name)).get("count").asInt();
    }

    @Test
    void failingHttpCheckTurnsInstanceDownInTheApi() throws Exception {
        register("checked", "c1", ",\"check\":{\"http\":\"" + servers.url("/fail") + "\",\"failuresBeforeDown\":1}");
        assertThat(discovered("checked")).isEqualTo(1);
        assertThat(checks.checkNow(InstanceKey.of("checked", "c1")).get(10, TimeUnit.SECONDS)).isTrue();
        JsonNode view = instance("checked", "c1");
        assertThat(view.get("status").asString()).isEqualTo("DOWN");
        assertThat(view.get("statusReason").asString()).isEqualTo("health check failing");
        assertThat(view.get("check").get("passing").asBoolean()).isFalse();
        assertThat(discovered("checked")).isZero();
        String metrics = http.get("/actuator/prometheus").body();
        assertThat(metrics).containsPattern("beacon_checks_total\\{[^}]*result=\"failing\"[^}]*type=\"http\"[^}]*\\} [1-9]");
    }

    @Test
    void drainAndUndrain() {
        register("drained", "d1", "");
        HttpResponse<String> out = http.put("/services/drained/instances/d1/status", "{\"status\":\"OUT_OF_SERVICE\"}");
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(Http.json(out).get("status").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(discovered("drained")).isZero();

        assertThat(http.put("/heartbeat/drained/d1", null).statusCode()).isEqualTo(200);
        assertThat(instance("drained", "d1").get("status").asString()).isEqualTo("OUT_OF_SERVICE");
        register("drained", "d1", "");
        assertThat(instance("drained", "d1").get("status").asString()).isEqualTo("OUT_OF_SERVICE");

        HttpResponse<String> up = http.put("/services/drained/instances/d1/status", "{\"status\":\"up\"}");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(Http.json(up).get("status").asString()).isEqualTo("UP");
        assertThat(discovered("drained")).isEqualTo(1);
    }

    @Test
    void drainRejectsBadStatusAndUnknownInstance() {
        register("drained2", "d1", "");
        HttpResponse<String> bad = http.put("/services/drained2/instances/d1/status", "{\"status\":\"DOWN\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        assertThat(Http.json(bad).get("errors").get(0).get("field").asString()).isEqualTo("status");
        assertThat(http.put("/services/drained2/instances/d1/status", "{}").statusCode()).isEqualTo(400);
        assertThat(instance("drained2", "d1").get("status").asString()).isEqualTo("UP");
        assertThat(http.put("/services/drained2/instances/nope/status", "{\"status\":\"UP\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void reportsEjectAndPanicModeSaysSo() {
        assertThat(http.put("/services/reported/policy", "{\"outlier\":{\"consecutiveFailures\":2,"
                + "\"maxEjectionPercent\":100,\"minHealthPercent\":50}}").statusCode()).isEqualTo(200);
        register("reported", "r1", "");
        register("reported", "r2", "");
        register("reported", "r3", "");
        HttpResponse<String> single = http.post("/report", "{\"name\":\"reported\",\"id\":\"r1\",\"outcome\":\"failure\",\"latencyMs\":40}");
        assertThat(single.statusCode()).isEqualTo(200);
        assertThat(Http.json(single).get("results").get(0).get("breaker").asString()).isEqualTo("CLOSED");
        HttpResponse<String> batch = http.post("/report", "{\"reports\":[{\"name\":\"reported\",\"id\":\"r1\",\"outcome\":\"failure\"}]}");
        assertThat(Http.json(batch).get("results").get(0).get("ejected").asBoolean()).isTrue();
        assertThat(instance("reported", "r1").get("ejected").asBoolean()).isTrue();
        HttpResponse<String> one = http.get("/discover?name=reported");
        assertThat(Http.json(one).get("count").asInt()).isEqualTo(2);
        assertThat(Http.json(one).has("panic")).isFalse();
        assertThat(one.headers().firstValue("X-Beacon-Panic")).isEmpty();

        HttpResponse<String> array = http.post("/report", "[{\"name\":\"reported\",\"id\":\"r2\",\"outcome\":\"failure\"},"
                + "{\"name\":\"reported\",\"id\":\"r2\",\"outcome\":\"failure\"}]");
        assertThat(Http.json(array).get("accepted").asInt()).isEqualTo(2);
        HttpResponse<String> panic = http.get("/discover?name=reported");
        assertThat(panic.headers().firstValue("X-Beacon-Panic")).hasValue("true");
        assertThat(Http.json(panic).get("panic").asBoolean()).isTrue();
        assertThat(Http.json(panic).get("count").asInt()).isEqualTo(3);
        assertThat(http.get("/actuator/prometheus").body()).containsPattern("beacon_ejections_total [2-9]");
    }

    @Test
    void invalidReportsAreRejectedAndChangeNothing() {
        register("strict", "s1", "");
        HttpResponse<String> bad = http.post("/report", "[{\"name\":\"strict\",\"id\":\"s1\",\"outcome\":\"failure\"},"
                + "{\"name\":\"strict\",\"id\":\"s1\",\"outcome\":\"maybe\",\"latencyMs\":-1,\"extra\":1}]");
        assertThat(bad.statusCode()).isEqualTo(400);
        JsonNode problem = Http.json(bad);
        assertThat(problem.get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("[1].outcome", "[1].latencyMs", "[1].extra");
        HttpResponse<String> unknown = http.post("/report", "{\"reports\":[{\"name\":\"strict\",\"id\":\"s1\",\"outcome\":\"failure\"},"
                + "{\"name\":\"strict\",\"id\":\"ghost\",\"outcome\":\"failure\"}]}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(http.post("/report", "[]").statusCode()).isEqualTo(400);
        assertThat(http.post("/report", "not json").statusCode()).isEqualTo(400);
        for (int n = 0; n < 4; n++) {
            http.post("/report", "{\"name\":\"strict\",\"id\":\"s1\",\"outcome\":\"failure\"}");
        }
        // defaults eject after 5 consecutive failures: had a rejected request recorded one, this would eject
        assertThat(instance("strict", "s1").get("ejected").asBoolean()).isFalse();
    }

    @Test
    void selfPreservationHealthComponentIsUpWithDetails() {
        JsonNode health = Http.json(http.get("/actuator/health"));
        JsonNode component = health.get("components").get("selfPreservation");
        assertThat(component.get("status").asString()).isEqualTo("UP");
        assertThat(component.get("details").get("active").asBoolean()).isFalse();
        assertThat(component.get("details").get("thresholdPercent").asInt()).isEqualTo(50);
        assertThat(http.get("/actuator/prometheus").body()).contains("beacon_self_preservation 0.0");
    }
}
