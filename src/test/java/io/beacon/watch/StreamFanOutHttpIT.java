package io.beacon.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * Many concurrent streams of one service under a burst of changes: every stream must receive every
 * change, in index order, with none lost (the frames of all streams are written concurrently by the
 * sender pool and by container threads reporting sockets writable again).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "beacon.watch.keep-alive=200ms")
@Import(TestClockConfiguration.class)
class StreamFanOutHttpIT {

    static final int STREAMS = 200;
    static final int CHANGES = 150;

    @LocalServerPort
    int port;

    @Test
    void everyStreamReceivesEveryChangeInOrder() throws Exception {
        Http http = new Http(port);
        long start = register(http, "fan-seed");
        List<SseClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < STREAMS; i++) {
                clients.add(SseClient.open(http.base(), "/watch?name=fan", null));
            }
            for (SseClient c : clients) {
                assertThat(c.next().name()).isEqualTo("snapshot");
            }
            List<Long> expected = new ArrayList<>();
            for (int i = 0; i < CHANGES; i++) {
                expected.add(register(http, "fan-" + i));
            }
            for (int s = 0; s < clients.size(); s++) {
                SseClient c = clients.get(s);
                List<Long> seen = new ArrayList<>();
                for (int i = 0; i < CHANGES; i++) {
                    SseClient.Event e = c.next();
                    assertThat(e.name()).as("stream %d event %d", s, i).isEqualTo("registered");
                    seen.add(e.index());
                }
                assertThat(seen).as("stream %d", s).containsExactlyElementsOf(expected);
                assertThat(c.ended).as("stream %d still open", s).isFalse();
            }
            assertThat(expected.get(0)).isGreaterThan(start);
            assertThat(http.get("/actuator/prometheus").body()).contains("beacon_watch_dropped_total 0.0");
        } finally {
            for (SseClient c : clients) {
                c.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/actuator/prometheus").body()
                .contains("beacon_watchers{kind=\"stream\"} 0.0"));
    }


    @Test
    void streamsOpenedWhileChangesArriveMissNothingAfterTheirSnapshot() throws Exception {
        Http http = new Http(port);
        register(http, "race-seed");
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong();
        Thread writer = new Thread(() -> {
            for (int i = 0; writing.get() && i < 5_000; i++) {
                last.set(register(http, "race-" + (i % 50)));
            }
        });
        List<SseClient> clients = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService openers = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            writer.start();
            List<java.util.concurrent.Future<?>> opened = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                opened.add(openers.submit(() -> clients.add(SseClient.open(http.base(), "/watch?name=fan", null))));
            }
            for (java.util.concurrent.Future<?> f : opened) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            writing.set(false);
            writer.join(60_000);
            long end = last.get();
            for (int s = 0; s < clients.size(); s++) {
                SseClient c = clients.get(s);
                SseClient.Event snapshot = c.next();
                assertThat(snapshot.name()).isEqualTo("snapshot");
                long expected = snapshot.index();
                while (expected < end) {
                    SseClient.Event e = c.next();
                    assertThat(e.index()).as("stream %d after %d", s, expected).isEqualTo(expected + 1);
                    expected = e.index();
                }
            }
        } finally {
            writing.set(false);
            openers.shutdownNow();
            for (SseClient c : clients) {
                c.close();
            }
        }
    }

    private static long register(Http http, String id) {
        HttpResponse<String> r = http.post("/register",
                "{\"name\":\"fan\",\"address\":\"10.0.0.1\",\"port\":8080,\"id\":\"" + id + "\"}");
        assertThat(r.statusCode()).isBetween(200, 201);
        return Long.parseLong(r.headers().firstValue("X-Beacon-Index").orElseThrow());
    }
}
