package io.beacon.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.expiry.ExpirySweeper;
import io.beacon.support.Http;
import io.beacon.support.MutableClock;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * The native HTTP API over a real port. Each test uses its own service names; time is moved with the
 * test clock and the sweeper is called directly (its background thread waits an hour). Instances of
 * the other tests in this shared context lapse as the clock moves, so self-preservation (tested on its
 * own) is off here: it would rightly hold back the evictions this test expects.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"beacon.sweep.interval=1h", "beacon.self-preservation.enabled=false"})
@Import(TestClockConfiguration.class)
class RegistryHttpIT {

    private static final String INDEX = "X-Beacon-Index";
    private static final String PROBLEM = "application/problem+json";

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    ExpirySweeper sweeper;

    private Http http;
    private String svc;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        svc = "svc-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private HttpResponse<String> register(String id, int port) {
        return http.post("/register", "{\"name\":\"" + svc + "\",\"address\":\"10.1.2.3\",\"port\":" + port
                + (id == null ? "" : ",\"id\":\"" + id + "\"") + "}");
    }

    private static long index(HttpResponse<String> response) {
        return Long.parseLong(response.headers().firstValue(INDEX).orElseThrow());
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith(PROBLEM));
        JsonNode body = Http.json(response);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("detail").asString()).isNotBlank();
    }

    @Test
    void registerCreatesWithLocationAndIndex() {
        HttpResponse<String> r = http.post("/register", "{\"name\":\"" + svc.toUpperCase() + "\","
                + "\"address\":\"10.1.2.3\",\"port\":8080,\"metadata\":{\"env\":\"prod\"},\"tags\":[\"blue\"],"
                + "\"zone\":\"eu-1\",\"version\":\"1.2\",\"weight\":7}");

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).hasValue("/services/" + svc + "/instances/10.1.2.3:8080");
        assertThat(index(r)).isPositive();
        JsonNode body = Http.json(r);
        assertThat(body.get("id").asString()).isEqualTo("10.1.2.3:8080");
        assertThat(body.get("name").asString()).isEqualTo(svc);
        assertThat(body.get("status").asString()).isEqualTo("UP");
        assertThat(body.get("weight").asInt()).isEqualTo(7);
        assertThat(body.get("metadata").get("env").asString()).isEqualTo("prod");
        assertThat(body.get("registeredAt").asString()).isEqualTo(clock.instant().toString());

        HttpResponse<String> one = http.get("/services/" + svc + "/instances/10.1.2.3:8080");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(index(one)).isEqualTo(index(r));
        assertThat(Http.json(one).get("zone").asString()).isEqualTo("eu-1");
        assertProblem(http.get("/services/" + svc + "/instances/nope"), 404);
    }

    @Test
    void toleratesTheExtraFieldsOlderClientsSend() {
        HttpResponse<String> r = http.post("/register", "{\"name\":\"" + svc + "\",\"address\":\"10.1.2.3\","
                + "\"port\":8080,\"health\":true,\"last_seen\":1700000000.5,\"unknown\":{\"x\":[1,2]}}");

        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode body = Http.json(r);
        assertThat(body.get("last_seen").asDouble()).as("the server's own value, not the client's")
                .isEqualTo(clock.instant().toEpochMilli() / 1000.0);
        assertThat(body.get("health").asBoolean()).isTrue();
        assertThat(body.has("unknown")).isFalse();
    }

    @Test
    void reRegisteringTheSameIdIsAnUpdateThatKeepsTheRegistrationTime() {
        HttpResponse<String> first = register(null, 8080);
        String registeredAt = Http.json(first).get("registeredAt").asString();
        clock.advance(Duration.ofSeconds(7));

        HttpResponse<String> again = register(null, 8080);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Location")).isEmpty();
        JsonNode body = Http.json(again);
        assertThat(body.get("registeredAt").asString()).isEqualTo(registeredAt);
        assertThat(body.get("lastHeartbeat").asString()).isEqualTo(clock.instant().toString());
        assertThat(Http.json(http.get("/services/" + svc)).get("count").asInt()).isEqualTo(1);

        HttpResponse<String> other = register("explicit-id", 8080);
        assertThat(other.statusCode()).isEqualTo(201);
        assertThat(Http.json(http.get("/services/" + svc)).get("count").asInt()).isEqualTo(2);
    }

    @Test
    void discoverReturnsOnlyUpInstancesWithLegacyFields() {
        register("a", 1001);
        register("b", 1002);
        HttpResponse<String> r = http.get("/discover?name=" + svc.toUpperCase());

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = Http.json(r);
        assertThat(body.get("name").asString()).isEqualTo(svc);
        assertThat(body.get("count").asInt()).isEqualTo(2);
        assertThat(body.get("index").asLong()).isEqualTo(index(r));
        JsonNode a = body.get("services").get(0);
        assertThat(a.get("id").asString()).isEqualTo("a");
        assertThat(a.get("health").asBoolean()).isTrue();
        assertThat(a.get("last_seen").asDouble()).isEqualTo(clock.instant().toEpochMilli() / 1000.0);
        assertThat(a.get("lastHeartbeat").asString()).isEqualTo(clock.instant().toString());
        for (String field : List.of("address", "port", "status", "metadata", "tags", "weight", "registeredAt")) {
            assertThat(a.has(field)).as(field).isTrue();
        }
    }

    @Test
    void discoverAnswersAnUnknownServiceWithAnEmptyListAndRejectsAMissingName() {
        HttpResponse<String> unknown = http.get("/discover?name=" + svc);
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(Http.json(unknown).get("services").size()).isZero();
        assertThat(Http.json(unknown).get("count").asInt()).isZero();
        assertThat(index(unknown)).isZero();

        assertProblem(http.get("/discover"), 400);
        assertProblem(http.get("/discover?name="), 400);
        assertProblem(http.get("/discover?name=%20%20"), 400);
        assertProblem(http.get("/discover?name=a%20b"), 400);
        assertProblem(http.get("/discover?name=" + svc + "&nmae=x"), 400);
    }

    @Test
    void heartbeatRenewsTheLeaseWithoutChangingTheIndex() {
        long registered = index(register("a", 1001));
        clock.advance(Duration.ofSeconds(10));

        HttpResponse<String> r = http.put("/heartbeat/" + svc + "/a", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(index(r)).isEqualTo(registered);
        JsonNode body = Http.json(r);
        assertThat(body.get("status").asString()).isEqualTo("UP");
        assertThat(body.get("lastHeartbeat").asString()).isEqualTo(clock.instant().toString());
        assertThat(body.get("expiresAt").asString()).isEqualTo(clock.instant().plusSeconds(30).toString());
        assertThat(body.get("evictAt").asString()).isEqualTo(clock.instant().plusSeconds(90).toString());
        assertThat(index(http.get("/discover?name=" + svc))).isEqualTo(registered);
    }

    @Test
    void heartbeatAndDeregisterOfAnUnknownInstanceAre404Problems() {
        HttpResponse<String> beat = http.put("/heartbeat/" + svc + "/ghost", null);
        assertProblem(beat, 404);
        assertThat(Http.json(beat).get("detail").asString()).contains("ghost").contains("POST /register");

        register("a", 1001);
        assertProblem(http.put("/heartbeat/" + svc + "/ghost", null), 404);
        assertProblem(http.delete("/deregister/" + svc + "/ghost"), 404);
        assertProblem(http.put("/heartbeat/bad%20name/a", null), 400);
    }

    @Test
    void deregisterRemovesTheInstance() {
        long registered = index(register("a", 1001));
        register("b", 1002);

        HttpResponse<String> r = http.delete("/deregister/" + svc + "/a");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(index(r)).isGreaterThan(registered);
        assertProblem(http.delete("/deregister/" + svc + "/a"), 404);
        assertProblem(http.put("/heartbeat/" + svc + "/a", null), 404);
        JsonNode left = Http.json(http.get("/discover?name=" + svc));
        assertThat(left.get("count").asInt()).isEqualTo(1);
        assertThat(left.get("services").get(0).get("id").asString()).isEqualTo("b");

        assertThat(http.delete("/deregister/" + svc + "/b").statusCode()).isEqualTo(204);
        assertProblem(http.get("/services/" + svc), 404);
    }

    @Test
    void catalogListsServicesWithCountsByStatus() {
        register("a", 1001);
        register("b", 1002);

        JsonNode catalog = Http.json(http.get("/services"));
        JsonNode mine = null;
        for (JsonNode s : catalog.get("services")) {
            if (s.get("name").asString().equals(svc)) {
                mine = s;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.get("instances").asInt()).isEqualTo(2);
        assertThat(mine.get("statuses").get("UP").asLong()).isEqualTo(2);
        assertThat(mine.get("statuses").get("STALE").asLong()).isZero();
        assertThat(catalog.get("count").asInt()).isEqualTo(catalog.get("services").size());

        HttpResponse<String> detail = http.get("/services/" + svc);
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(index(detail)).isEqualTo(mine.get("index").asLong());
        assertThat(Http.json(detail).get("instances")).extracting(i -> i.get("id").asString())
                .containsExactly("a", "b");
        assertProblem(http.get("/services/" + svc + "-unknown"), 404);
    }

    @Test
    void theIndexIncreasesOnEveryChange() {
        List<Long> indexes = new ArrayList<>();
        indexes.add(index(register("a", 1001)));
        indexes.add(index(register("b", 1002)));
        indexes.add(index(register("a", 2001)));
        long beforeBeat = index(http.get("/services/" + svc));
        assertThat(index(http.put("/heartbeat/" + svc + "/a", null))).isEqualTo(beforeBeat);
        assertThat(index(http.get("/services/" + svc))).isEqualTo(beforeBeat);
        indexes.add(index(http.delete("/deregister/" + svc + "/b")));
        indexes.add(index(register("b", 1002)));

        for (int i = 1; i < indexes.size(); i++) {
            assertThat(indexes.get(i)).as("change %d", i).isGreaterThan(indexes.get(i - 1));
        }
        assertThat(index(http.get("/discover?name=" + svc))).isEqualTo(indexes.get(indexes.size() - 1));
    }

    @Test
    void lifecycleUpStaleUpEvicted() {
        Instant t0 = clock.instant();
        register("a", 1001);
        HttpResponse<String> r = register("keep", 1002);
        long index = index(r);

        // the other instance keeps heartbeating; only "a" misses its lease
        clock.set(t0.plusSeconds(25));
        http.put("/heartbeat/" + svc + "/keep", null);
        clock.set(t0.plusSeconds(30));
        sweeper.sweep(clock.instant());
        assertThat(Http.json(http.get("/discover?name=" + svc)).get("count").asInt()).isEqualTo(2);

        clock.set(t0.plusSeconds(31));
        sweeper.sweep(clock.instant());
        HttpResponse<String> discover = http.get("/discover?name=" + svc);
        assertThat(Http.json(discover).get("services")).extracting(i -> i.get("id").asString())
                .containsExactly("keep");
        assertThat(index(discover)).isGreaterThan(index);
        JsonNode detail = Http.json(http.get("/services/" + svc));
        assertThat(detail.get("instances").get(0).get("id").asString()).isEqualTo("a");
        assertThat(detail.get("instances").get(0).get("status").asString()).isEqualTo("STALE");
        assertThat(detail.get("instances").get(0).get("health").asBoolean()).isFalse();
        assertThat(detail.get("instances").get(1).get("status").asString()).isEqualTo("UP");

        clock.set(t0.plusSeconds(40));
        HttpResponse<String> beat = http.put("/heartbeat/" + svc + "/a", null);
        assertThat(beat.statusCode()).isEqualTo(200);
        assertThat(Http.json(beat).get("status").asString()).isEqualTo("UP");
        assertThat(Http.json(http.get("/discover?name=" + svc)).get("count").asInt()).isEqualTo(2);

        clock.set(t0.plusSeconds(130));
        sweeper.sweep(clock.instant());
        assertThat(Http.json(http.get("/services/" + svc + "/instances/a")).get("status").asString())
                .isEqualTo("STALE");
        assertThat(http.get("/services/" + svc + "/instances/keep").statusCode()).as("evicted").isEqualTo(404);

        clock.set(t0.plusSeconds(130).plusMillis(1));
        sweeper.sweep(clock.instant());
        assertProblem(http.get("/services/" + svc + "/instances/a"), 404);
        assertProblem(http.get("/services/" + svc), 404);
        assertProblem(http.put("/heartbeat/" + svc + "/a", null), 404);
        assertThat(Http.json(http.get("/discover?name=" + svc)).get("count").asInt()).isZero();
    }
}
