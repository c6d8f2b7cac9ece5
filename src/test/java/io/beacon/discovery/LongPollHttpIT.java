package io.beacon.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/** Blocking discovery over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
class LongPollHttpIT {

    @LocalServerPort
    int port;

    Http http;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    private long register(String service, String id) {
        HttpResponse<String> r = http.post("/register",
                "{\"name\":\"" + service + "\",\"address\":\"10.0.0.1\",\"port\":8080,\"id\":\"" + id + "\"}");
        assertThat(r.statusCode()).isBetween(200, 201);
        return Long.parseLong(r.headers().firstValue("X-Beacon-Index").orElseThrow());
    }

    private CompletableFuture<HttpResponse<String>> discoverAsync(String query) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create(http.base() + "/discover?" + query))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private double gauge(String line) {
        String body = http.get("/actuator/prometheus").body();
        return body.lines().filter(l -> l.startsWith(line + " ")).mapToDouble(l -> Double.parseDouble(l.substring(line.length() + 1)))
                .findFirst().orElse(Double.NaN);
    }

    @Test
    void watcherOfXWakesWhenXChangesAndNotWhenYChanges() throws Exception {
        long index = register("lp-x", "a");
        CompletableFuture<HttpResponse<String>> poll = discoverAsync("name=lp-x&index=" + index + "&wait=30s");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> gauge("beacon_watchers{kind=\"long_poll\"}") >= 1.0);

        register("lp-y", "b");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !poll.isDone());

        long next = register("lp-x", "c");
        HttpResponse<String> response = poll.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Beacon-Index")).hasValue(Long.toString(next));
        JsonNode body = Http.json(response);
        assertThat(body.get("index").asLong()).isEqualTo(next);
        assertThat(body.get("count").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("beacon_watchers{kind=\"long_poll\"}") == 0.0);
    }

    @Test
    void heldRequestAnswersWithTheUnchangedServiceWhenTheWaitElapses() throws Exception {
        long index = register("lp-timeout", "a");
        long start = System.nanoTime();
        HttpResponse<String> response = discoverAsync("name=lp-timeout&index=" + index + "&wait=300ms")
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(300);
        assertThat(response.headers().firstValue("X-Beacon-Index")).hasValue(Long.toString(index));
        assertThat(Http.json(response).get("count").asInt()).isEqualTo(1);
    }

    @Test
    void oldAndFutureIndexesAreAnsweredAtOnce() throws Exception {
        register("lp-old", "a");
        long index = register("lp-old", "b");
        long start = System.nanoTime();
        HttpResponse<String> old = discoverAsync("name=lp-old&index=" + (index - 1) + "&wait=5m")
                .get(20, java.util.concurrent.TimeUnit.SECONDS);
        HttpResponse<String> future = discoverAsync("name=lp-old&index=" + (index + 1000) + "&wait=5m")
                .get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(20).toNanos());
        assertThat(old.statusCode()).isEqualTo(200);
        assertThat(old.headers().firstValue("X-Beacon-Index")).hasValue(Long.toString(index));
        assertThat(Http.json(old).get("count").asInt()).isEqualTo(2);
        assertThat(future.statusCode()).isEqualTo(200);
        assertThat(future.headers().firstValue("X-Beacon-Index")).hasValue(Long.toString(index));
    }

    @Test
    void filtersApplyToTheBlockingAnswer() throws Exception {
        long index = register("lp-filter", "a");
        CompletableFuture<HttpResponse<String>> poll =
                discoverAsync("name=lp-filter&index=" + index + "&wait=30s&zone=eu-1");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> gauge("beacon_watchers{kind=\"long_poll\"}") >= 1.0);
        http.post("/register", "{\"name\":\"lp-filter\",\"address\":\"10.0.0.2\",\"port\":8080,\"id\":\"z\",\"zone\":\"eu-1\"}");
        JsonNode body = Http.json(poll.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertThat(body.get("count").asInt()).isEqualTo(1);
        assertThat(body.get("services").get(0).get("id").asString()).isEqualTo("z");
    }

    @Test
    void unknownServiceBlocksUntilItsFirstRegistration() throws Exception {
        CompletableFuture<HttpResponse<String>> poll = discoverAsync("name=lp-new&index=0&wait=30s");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> gauge("beacon_watchers{kind=\"long_poll\"}") >= 1.0);
        long index = register("lp-new", "a");
        HttpResponse<String> response = poll.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(response.headers().firstValue("X-Beacon-Index")).hasValue(Long.toString(index));
    }

    @Test
    void malformedIndexOrWaitIsAProblemNamingTheParameter() {
        HttpResponse<String> badIndex = http.get("/discover?name=lp-bad&index=abc");
        assertThat(badIndex.statusCode()).isEqualTo(400);
        assertThat(badIndex.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(Http.json(badIndex).get("errors").get(0).get("field").asString()).isEqualTo("index");

        HttpResponse<String> badWait = http.get("/discover?name=lp-bad&index=1&wait=forever");
        assertThat(badWait.statusCode()).isEqualTo(400);
        assertThat(Http.json(badWait).get("errors").get(0).get("field").asString()).isEqualTo("wait");

        HttpResponse<String> waitOnly = http.get("/discover?name=lp-bad&wait=1x");
        assertThat(waitOnly.statusCode()).isEqualTo(400);

        HttpResponse<String> plain = http.get("/discover?name=lp-bad&wait=10s");
        assertThat(plain.statusCode()).isEqualTo(200);
    }

    @Test
    void wokenAndTimedOutAnswersAreExactlyWhatPlainDiscoverSends() throws Exception {
        long index = register("lp-same", "a");
        CompletableFuture<HttpResponse<String>> first = discoverAsync("name=lp-same&index=" + index + "&wait=30s&zone=eu-1");
        CompletableFuture<HttpResponse<String>> second = discoverAsync("name=lp-same&index=" + index + "&wait=30s&zone=eu-1");
        CompletableFuture<HttpResponse<String>> unfiltered = discoverAsync("name=lp-same&index=" + index + "&wait=30s");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> gauge("beacon_watchers{kind=\"long_poll\"}") >= 3.0);
        http.post("/register", "{\"name\":\"lp-same\",\"address\":\"10.0.0.2\",\"port\":8080,\"id\":\"z\",\"zone\":\"eu-1\"}");
        HttpResponse<String> plainFiltered = http.get("/discover?name=lp-same&zone=eu-1");
        HttpResponse<String> plain = http.get("/discover?name=lp-same");
        for (HttpResponse<String> woken : java.util.List.of(first.get(10, java.util.concurrent.TimeUnit.SECONDS),
                second.get(10, java.util.concurrent.TimeUnit.SECONDS))) {
            assertSameAnswer(woken, plainFiltered);
        }
        assertSameAnswer(unfiltered.get(10, java.util.concurrent.TimeUnit.SECONDS), plain);
        assertThat(Http.json(plainFiltered).get("count").asInt()).isEqualTo(1);
        assertThat(Http.json(plain).get("count").asInt()).isEqualTo(2);

        long now = Long.parseLong(plain.headers().firstValue("X-Beacon-Index").orElseThrow());
        assertSameAnswer(discoverAsync("name=lp-same&index=" + now + "&wait=200ms")
                .get(10, java.util.concurrent.TimeUnit.SECONDS), plain);
    }

    private static void assertSameAnswer(HttpResponse<String> actual, HttpResponse<String> expected) {
        assertThat(actual.statusCode()).isEqualTo(expected.statusCode());
        assertThat(actual.body()).isEqualTo(expected.body());
        for (String header : java.util.List.of("Content-Type", "X-Beacon-Index", "X-Beacon-Panic")) {
            assertThat(actual.headers().firstValue(header)).as(header).isEqualTo(expected.headers().firstValue(header));
        }
    }
}
