package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * The direct routes over a real port: a plain heartbeat or discovery answered below MVC gives what the MVC
 * handler gives for the same request (status, Content-Type, index header, body), counts what it counts once,
 * and is recorded under the route's {@code uri} tag; requests it declines get the controller's problems.
 * A request that differs only by an {@code Accept} with a quality value is not plain, so it is the MVC
 * answer to compare with.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"beacon.sweep.interval=1h", "beacon.self-preservation.enabled=false"})
@Import(TestClockConfiguration.class)
class DirectRouteIT {

    private static final String THROUGH_MVC = "application/json;q=0.9";

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;

    private Http http;
    private String svc;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        svc = "direct-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(http.post("/register", "{\"name\":\"" + svc + "\",\"address\":\"10.7.0.1\",\"port\":8080}")
                .statusCode()).isEqualTo(201);
    }

    private HttpResponse<String> heartbeat(String id, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.base() + "/heartbeat/" + svc + "/" + id))
                .PUT(HttpRequest.BodyPublishers.noBody());
        return http.send(accept == null ? request : request.header("Accept", accept));
    }

    private HttpResponse<String> discover(String query, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.base() + "/discover?" + query)).GET();
        return http.send(accept == null ? request : request.header("Accept", accept));
    }

    private double counter(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private long requests(String uri, String status) {
        var timer = meters.find("http.server.requests").tags("uri", uri, "status", status).timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void aPlainHeartbeatAnswersAsTheControllerDoesAndCountsOnce() {
        double ok = counter("beacon.heartbeats", "result", "ok");
        long recorded = requests("/heartbeat/{name}/{id}", "200");

        HttpResponse<String> direct = heartbeat("10.7.0.1%3A8080", null);
        HttpResponse<String> mvc = heartbeat("10.7.0.1:8080", THROUGH_MVC);

        for (HttpResponse<String> r : List.of(direct, mvc)) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(r.headers().firstValue(Headers.INDEX)).isEqualTo(mvc.headers().firstValue(Headers.INDEX));
        }
        JsonNode a = Http.json(direct);
        JsonNode b = Http.json(mvc);
        assertThat(a.properties().stream().map(Map.Entry::getKey).toList())
                .isEqualTo(b.properties().stream().map(Map.Entry::getKey).toList());
        assertThat(a.get("name").asString()).isEqualTo(svc);
        assertThat(a.get("id").asString()).isEqualTo("10.7.0.1:8080");
        assertThat(a.get("status").asString()).isEqualTo("UP");
        assertThat(a.get("expiresAt")).isEqualTo(b.get("expiresAt")); // the test clock stands still
        assertThat(counter("beacon.heartbeats", "result", "ok")).isEqualTo(ok + 2);
        // recorded once the answer is written, so just after the client has it
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(requests("/heartbeat/{name}/{id}", "200")).isEqualTo(recorded + 2));
    }

    @Test
    void aHeartbeatTheRouteDeclinesGetsTheControllersProblemAndCountsOnce() {
        double unknown = counter("beacon.heartbeats", "result", "unknown");
        HttpResponse<String> missing = heartbeat("10.7.0.9:8080", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Http.json(missing).get("title").asString()).isEqualTo("Instance not found");
        assertThat(counter("beacon.heartbeats", "result", "unknown")).isEqualTo(unknown + 1);

        HttpResponse<String> invalid = http.put("/heartbeat/bad%20name/x", null);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        HttpResponse<String> html = heartbeat("10.7.0.1:8080", "text/html");
        assertThat(html.statusCode()).isEqualTo(406);
    }

    @Test
    void aPlainDiscoveryGivesTheControllersBytes() {
        long recorded = requests("/discover", "200");
        HttpResponse<String> direct = discover("name=" + svc.toUpperCase(), null);
        HttpResponse<String> mvc = discover("name=" + svc, THROUGH_MVC);
        assertThat(direct.statusCode()).isEqualTo(200);
        assertThat(direct.headers().firstValue("Content-Type")).isEqualTo(mvc.headers().firstValue("Content-Type"));
        assertThat(direct.headers().firstValue(Headers.INDEX)).isEqualTo(mvc.headers().firstValue(Headers.INDEX));
        assertThat(direct.body()).isEqualTo(mvc.body());
        assertThat(Http.json(direct).get("count").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(requests("/discover", "200")).isEqualTo(recorded + 2));

        // a change is seen by the next plain discovery
        assertThat(http.post("/register", "{\"name\":\"" + svc + "\",\"address\":\"10.7.0.2\",\"port\":8080}")
                .statusCode()).isEqualTo(201);
        assertThat(Http.json(discover("name=" + svc, null)).get("count").asInt()).isEqualTo(2);
    }

    @Test
    void aDiscoveryTheRouteDeclinesGetsTheControllersAnswer() {
        assertThat(discover("name=" + svc + "&name=x", null).statusCode()).isEqualTo(400);
        assertThat(discover("name=bad%20name", null).statusCode()).isEqualTo(400);
        assertThat(discover("name=", null).statusCode()).isEqualTo(400);
        assertThat(discover("name=" + svc + "&zone=nowhere", null).statusCode()).isEqualTo(200);
        assertThat(Http.json(discover("name=" + svc + "&zone=nowhere", null)).get("count").asInt()).isZero();
        assertThat(Http.json(discover("name=" + svc.replace("-", "%2D"), null)).get("count").asInt()).isEqualTo(1);
        assertThat(discover("name=" + svc + "&bogus=1", null).statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> register(String body, String contentType) {
        return http.send(HttpRequest.newBuilder(URI.create(http.base() + "/register"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void aRegistrationAnswersAsTheControllerDoes() {
        String first = "{\"name\":\"" + svc + "\",\"address\":\"10.7.0.3\",\"port\":8080}";
        String second = "{\"name\":\"" + svc + "\",\"address\":\"10.7.0.4\",\"port\":8080}";
        HttpResponse<String> direct = register(first, "application/json");
        HttpResponse<String> mvc = register(second, "application/json;charset=UTF-8");
        for (HttpResponse<String> r : List.of(direct, mvc)) {
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(r.headers().firstValue("Location").orElseThrow())
                    .startsWith("/services/" + svc + "/instances/10.7.0.");
            assertThat(Http.json(r).properties().stream().map(Map.Entry::getKey).toList())
                    .isEqualTo(Http.json(mvc).properties().stream().map(Map.Entry::getKey).toList());
        }
        assertThat(Long.parseLong(mvc.headers().firstValue(Headers.INDEX).orElseThrow()))
                .isGreaterThan(Long.parseLong(direct.headers().firstValue(Headers.INDEX).orElseThrow()));
        HttpResponse<String> again = register(first, "application/json");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Location")).isEmpty();
        assertThat(Http.json(discover("name=" + svc, null)).get("count").asInt()).isEqualTo(3);
    }

    @Test
    void aRejectedRegistrationGetsTheControllersProblemAndChangesNothing() {
        long index = Long.parseLong(discover("name=" + svc, null).headers().firstValue(Headers.INDEX).orElseThrow());
        List<String> bodies = List.of(
                "{\"name\":\"" + svc + "\",\"address\":\"10.7.0.5\",\"port\":\"80\"}",
                "{\"name\":\"" + svc + "\",\"address\":\"10.7.0.5\",\"port\":80.5}",
                "{\"name\":\"" + svc + "\",\"address\":\"10.7.0.5\",\"port\":0}",
                "{\"name\":\"bad name\",\"address\":\"10.7.0.5\",\"port\":80}",
                "{\"name\":\"" + svc + "\",\"address\":\"10.7.0.5\"}",
                "{\"name\":\"" + svc + "\"", "null", "[]", " ", "{} {}");
        for (String body : bodies) {
            HttpResponse<String> direct = register(body, "application/json");
            HttpResponse<String> mvc = register(body, "application/json;charset=UTF-8");
            assertThat(direct.statusCode()).as(body).isEqualTo(400);
            assertThat(direct.headers().firstValue("Content-Type")).as(body).hasValue("application/problem+json");
            assertThat(direct.body()).as(body).isEqualTo(mvc.body());
        }
        HttpResponse<String> after = discover("name=" + svc, null);
        assertThat(Long.parseLong(after.headers().firstValue(Headers.INDEX).orElseThrow())).isEqualTo(index);
        assertThat(Http.json(after).get("count").asInt()).isEqualTo(1);
    }
}
