package io.beacon.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/** The Server-Sent-Events change stream over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"beacon.watch.history=4", "beacon.watch.keep-alive=200ms"})
@Import(TestClockConfiguration.class)
class StreamHttpIT {

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    private long register(String service, String id, String version) {
        HttpResponse<String> r = http.post("/register", "{\"name\":\"" + service
                + "\",\"address\":\"10.0.0.1\",\"port\":8080,\"id\":\"" + id + "\",\"version\":\"" + version + "\"}");
        assertThat(r.statusCode()).isBetween(200, 201);
        return Long.parseLong(r.headers().firstValue("X-Beacon-Index").orElseThrow());
    }

    @Test
    void snapshotThenOneEventPerChangeInOrderAndNoneForHeartbeats() throws Exception {
        long first = register("sse-a", "i1", "1");
        try (SseClient sse = SseClient.open(http.base(), "/watch?name=sse-a", null)) {
            assertThat(sse.response().headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
            SseClient.Event snapshot = sse.next();
            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(snapshot.index()).isEqualTo(first);
            assertThat(snapshot.json().get("instances").size()).isEqualTo(1);
            assertThat(snapshot.json().get("instances").get(0).get("id").asString()).isEqualTo("i1");

            long registered = register("sse-a", "i2", "1");
            assertThat(http.put("/heartbeat/sse-a/i1", null).statusCode()).isEqualTo(200);
            register("sse-other", "o1", "1");
            long updated = register("sse-a", "i1", "2");
            long deregistered = Long.parseLong(http.delete("/deregister/sse-a/i2").headers()
                    .firstValue("X-Beacon-Index").orElseThrow());

            SseClient.Event e1 = sse.next();
            assertThat(e1.name()).isEqualTo("registered");
            assertThat(e1.index()).isEqualTo(registered);
            JsonNode d1 = e1.json();
            assertThat(d1.get("kind").asString()).isEqualTo("registered");
            assertThat(d1.get("name").asString()).isEqualTo("sse-a");
            assertThat(d1.get("index").asLong()).isEqualTo(registered);
            assertThat(d1.get("instance").get("id").asString()).isEqualTo("i2");

            SseClient.Event e2 = sse.next();
            assertThat(e2.name()).isEqualTo("updated");
            assertThat(e2.index()).isEqualTo(updated);
            assertThat(e2.json().get("instance").get("version").asString()).isEqualTo("2");

            SseClient.Event e3 = sse.next();
            assertThat(e3.name()).isEqualTo("deregistered");
            assertThat(e3.index()).isEqualTo(deregistered);
            assertThat(e3.json().get("instance").get("id").asString()).isEqualTo("i2");
            assertThat(sse.poll(300)).isNull();
            await().atMost(Duration.ofSeconds(5)).until(() -> sse.comments > 0);
        }
    }

    @Test
    void resumesFromHistoryWithLastEventId() throws Exception {
        long seen = register("sse-resume", "i1", "1");
        try (SseClient sse = SseClient.open(http.base(), "/watch?name=sse-resume", null)) {
            assertThat(sse.next().index()).isEqualTo(seen);
        }
        long missed1 = register("sse-resume", "i2", "1");
        long missed2 = register("sse-resume", "i1", "2");
        try (SseClient sse = SseClient.open(http.base(), "/watch?name=sse-resume", Long.toString(seen))) {
            SseClient.Event a = sse.next();
            SseClient.Event b = sse.next();
            assertThat(a.name()).isEqualTo("registered");
            assertThat(a.index()).isEqualTo(missed1);
            assertThat(b.name()).isEqualTo("updated");
            assertThat(b.index()).isEqualTo(missed2);
            long live = register("sse-resume", "i3", "1");
            SseClient.Event c = sse.next();
            assertThat(c.index()).isEqualTo(live);
        }
    }

    @Test
    void sendsASnapshotWhenTheHistoryNoLongerCoversTheGap() throws Exception {
        long seen = register("sse-gap", "i0", "1");
        long last = seen;
        for (int i = 1; i <= 6; i++) {
            last = register("sse-gap", "i" + i, "1");
        }
        try (SseClient sse = SseClient.open(http.base(), "/watch?name=sse-gap", Long.toString(seen))) {
            SseClient.Event snapshot = sse.next();
            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(snapshot.index()).isEqualTo(last);
            assertThat(snapshot.json().get("instances").size()).isEqualTo(7);
        }
        try (SseClient sse = SseClient.open(http.base(), "/watch?name=sse-gap", Long.toString(last + 10_000))) {
            SseClient.Event snapshot = sse.next();
            assertThat(snapshot.name()).as("an id from before a restart resynchronises").isEqualTo("snapshot");
            assertThat(snapshot.index()).isEqualTo(last);
        }
    }

    @Test
    void allServicesStreamCarriesEveryServiceAndResumesByPosition() throws Exception {
        register("sse-all-a", "i1", "1");
        long position;
        try (SseClient sse = SseClient.open(http.base(), "/watch", null)) {
            SseClient.Event snapshot = sse.next();
            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(snapshot.json().get("services").toString()).contains("sse-all-a");
            long b = register("sse-all-b", "i1", "1");
            long a = register("sse-all-a", "i2", "1");
            SseClient.Event first = sse.next();
            SseClient.Event second = sse.next();
            assertThat(first.json().get("name").asString()).isEqualTo("sse-all-b");
            assertThat(first.json().get("index").asLong()).isEqualTo(b);
            assertThat(second.json().get("name").asString()).isEqualTo("sse-all-a");
            assertThat(second.json().get("index").asLong()).isEqualTo(a);
            assertThat(second.index()).isEqualTo(first.index() + 1);
            position = second.index();
        }
        long missed = register("sse-all-c", "i1", "1");
        try (SseClient sse = SseClient.open(http.base(), "/watch", Long.toString(position))) {
            SseClient.Event next = sse.next();
            assertThat(next.name()).isEqualTo("registered");
            assertThat(next.index()).isEqualTo(position + 1);
            assertThat(next.json().get("index").asLong()).isEqualTo(missed);
        }
    }

    @Test
    void streamsAreCountedInMetrics() throws Exception {
        register("sse-metrics", "i1", "1");
        try (SseClient sse = SseClient.open(http.base(), "/watch?name=sse-metrics", null)) {
            sse.next();
            String body = http.get("/actuator/prometheus").body();
            assertThat(body).containsPattern("beacon_watchers\\{kind=\"stream\"\\} [1-9]");
            assertThat(body).containsPattern("beacon_watch_events_total [1-9]");
            assertThat(body).contains("beacon_watch_dropped_total");
        }
    }

    @Test
    void badStreamRequestsAreProblems() {
        HttpResponse<String> unknown = http.get("/watch?nme=x");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(Http.json(unknown).get("errors").get(0).get("field").asString()).isEqualTo("nme");

        HttpResponse<String> badName = http.get("/watch?name=bad%20name");
        assertThat(badName.statusCode()).isEqualTo(400);

        HttpResponse<String> badId = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(http.base() + "/watch?name=x")).header("Accept", "text/event-stream")
                .header("Last-Event-ID", "yesterday").GET());
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.body()).contains("Last-Event-ID");
    }
}
