package io.beacon.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * Watcher limits and the release of watchers whose client went away, over real sockets: streams and held
 * blocking queries count against {@code beacon.limits.max-watchers-per-client}; one over it is a 429 problem
 * naming the limit, with {@code Retry-After}; streams whose client closed its socket are released, and the
 * {@code beacon_watchers} gauge goes down, within keep-alive plus the probe delay.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"beacon.limits.max-watchers-per-client=3", "beacon.watch.keep-alive=500ms"})
@Import(TestClockConfiguration.class)
class WatcherLimitsHttpIT {

    static final int LIMIT = 3;

    @LocalServerPort
    int port;
    @Autowired
    WatchMetrics metrics;
    @Autowired
    WatcherSlots slots;

    Http http;
    final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void setUp() {
        http = new Http(port);
        assertThat(http.post("/register", "{\"name\":\"limits\",\"address\":\"10.0.0.1\",\"port\":8080}").statusCode())
                .isBetween(200, 201);
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(slots.held()).isZero());
    }

    /** Opens a stream on a raw socket and reads until its snapshot has arrived. */
    private Socket openStream() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        sockets.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /watch?name=limits HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!seen.toString().contains("event: snapshot")) {
            int n = in.read(buffer);
            assertThat(n).as("stream answered").isPositive();
            seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        assertThat(seen.toString()).startsWith("HTTP/1.1 200");
        return socket;
    }

    @Test
    void streamsWhoseClientClosedItsSocketAreReleased() throws IOException {
        for (int i = 0; i < LIMIT; i++) {
            openStream();
        }
        assertThat(metrics.streams.get()).isEqualTo(LIMIT);
        assertThat(slots.held()).isEqualTo(LIMIT);

        for (Socket s : sockets) {
            s.close();
        }

        // keep-alive (500 ms) plus the probe (250 ms later) finds each closed connection
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(metrics.streams.get()).isZero();
            assertThat(slots.held()).isZero();
        });
        assertThat(http.get("/actuator/prometheus").body()).contains("beacon_watchers{kind=\"stream\"} 0");
    }

    @Test
    void oneWatcherOverThePerClientLimitIsRefusedWith429AndNothingHeldChanges() throws IOException {
        for (int i = 0; i < LIMIT; i++) {
            openStream();
        }
        long index = Long.parseLong(http.get("/discover?name=limits").headers().firstValue("X-Beacon-Index").orElseThrow());

        for (String path : List.of("/watch?name=limits", "/discover?name=limits&index=" + index + "&wait=30s")) {
            HttpResponse<String> refused = http.get(path);
            assertThat(refused.statusCode()).as(path).isEqualTo(429);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            JsonNode problem = Http.json(refused);
            assertThat(problem.get("status").asInt()).isEqualTo(429);
            assertThat(problem.get("limit").asString()).isEqualTo("watchers-per-client");
            assertThat(problem.get("value").asInt()).isEqualTo(LIMIT);
            assertThat(problem.get("detail").asString()).contains("'watchers-per-client' of 3");
        }
        assertThat(metrics.streams.get()).isEqualTo(LIMIT);
        assertThat(metrics.longPolls.get()).isZero();
        assertThat(http.get("/actuator/prometheus").body())
                .contains("beacon_limit_rejections_total{limit=\"watchers-per-client\"} 2.0");

        // once one stream is gone, a blocking query is admitted again
        sockets.remove(0).close();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(slots.held()).isEqualTo(LIMIT - 1));
        HttpResponse<String> admitted = http.get("/discover?name=limits&index=" + index + "&wait=500ms");
        assertThat(admitted.statusCode()).isEqualTo(200);
    }
}
