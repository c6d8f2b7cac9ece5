package io.beacon.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * A stream client that stops reading is cut once its bounded queue fills, while registrations keep
 * succeeding and another subscriber of the same service still receives every change in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"beacon.watch.queue-capacity=8", "beacon.watch.history=8",
            "beacon.limits.max-metadata-bytes=65536"})
@Import(TestClockConfiguration.class)
class SlowConsumerHttpIT {

    @LocalServerPort
    int port;

    @Test
    void slowConsumerIsDisconnectedWithoutStallingRegistrationsOrOtherWatchers() throws Exception {
        Http http = new Http(port);
        String padding = "x".repeat(1000);
        StringBuilder metadata = new StringBuilder("{");
        for (int k = 0; k < 60; k++) {
            metadata.append(k == 0 ? "" : ",").append("\"k").append(k).append("\":\"").append(padding).append('"');
        }
        metadata.append('}');
        http.post("/register", "{\"name\":\"slow\",\"address\":\"10.0.0.1\",\"port\":8080,\"id\":\"a\"}");

        try (Socket slow = new Socket();
                SseClient fast = SseClient.open(http.base(), "/watch?name=slow", null)) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            OutputStream request = slow.getOutputStream();
            request.write(("GET /watch?name=slow HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.flush();
            assertThat(fast.next().name()).isEqualTo("snapshot");
            await().atMost(Duration.ofSeconds(10)).until(() -> watchers(http) >= 2);

            // the slow client reads nothing while large changes flow
            List<Long> indexes = new ArrayList<>();
            int registrations = 0;
            while (registrations < 400 && !(registrations >= 20 && dropped(http) >= 1)) {
                HttpResponse<String> r = http.post("/register", "{\"name\":\"slow\",\"address\":\"10.0.0.1\","
                        + "\"port\":8080,\"id\":\"a\",\"version\":\"" + registrations + "\",\"metadata\":" + metadata + "}");
                assertThat(r.statusCode()).isEqualTo(200);
                indexes.add(Long.parseLong(r.headers().firstValue("X-Beacon-Index").orElseThrow()));
                registrations++;
            }
            assertThat(dropped(http)).as("the slow consumer is cut").isEqualTo(1.0);

            for (long index : indexes) {
                SseClient.Event e = fast.next();
                assertThat(e.name()).isEqualTo("updated");
                assertThat(e.index()).isEqualTo(index);
            }
            assertThat(fast.ended).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> watchers(http) == 1.0);

            // once it reads again it gets what was already in flight, then the end of the stream
            slow.setSoTimeout(15_000);
            InputStream in = slow.getInputStream();
            byte[] buffer = new byte[65536];
            long total = 0;
            int n;
            try {
                while ((n = in.read(buffer)) != -1) {
                    total += n;
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server did not close the slow consumer's stream (read " + total + " bytes)");
            }
            assertThat(total).isPositive();
        }
    }

    private static double dropped(Http http) {
        return metric(http, "beacon_watch_dropped_total");
    }

    private static double watchers(Http http) {
        return metric(http, "beacon_watchers{kind=\"stream\"}");
    }

    private static double metric(Http http, String name) {
        return http.get("/actuator/prometheus").body().lines().filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1))).findFirst().orElse(Double.NaN);
    }
}
