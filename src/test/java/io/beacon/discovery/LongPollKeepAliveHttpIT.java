package io.beacon.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.beacon.support.RawHttp;
import io.beacon.support.TestClockConfiguration;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * Woken long polls over one raw HTTP/1.1 keep-alive connection, read byte by byte: each answer is flushed
 * whole (status line, headers with {@code Content-Length}, body) and the connection carries the next poll.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
class LongPollKeepAliveHttpIT {

    @LocalServerPort
    int port;

    @Test
    void wokenAnswersAreWholeAndTheConnectionCarriesTheNextPoll() throws Exception {
        Http http = new Http(port);
        long index = register(http, "a");
        double wakesBefore = http.scrape("beacon_watch_wake_seconds_count");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            for (String id : new String[] {"b", "c"}) {
                RawHttp.get(socket.getOutputStream(), port, "/discover?name=lp-keep&index=" + index + "&wait=30s");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> http.scrape("beacon_watchers{kind=\"long_poll\"}") >= 1.0);
                long next = register(http, id);

                RawHttp.Raw answer = RawHttp.read(socket.getInputStream());
                HttpResponse<String> plain = http.get("/discover?name=lp-keep");
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.headers()).containsEntry("x-beacon-index", Long.toString(next))
                        .containsEntry("content-length", Integer.toString(
                                answer.body().getBytes(StandardCharsets.UTF_8).length))
                        .doesNotContainKey("transfer-encoding").doesNotContainKey("connection");
                assertThat(answer.body()).isEqualTo(plain.body());
                index = next;
            }
        }
        assertThat(http.scrape("beacon_watch_wake_seconds_count")).isEqualTo(wakesBefore + 2);
    }

    private static long register(Http http, String id) {
        HttpResponse<String> r = http.post("/register",
                "{\"name\":\"lp-keep\",\"address\":\"10.0.0.1\",\"port\":8080,\"id\":\"" + id + "\"}");
        assertThat(r.statusCode()).isBetween(200, 201);
        return Long.parseLong(r.headers().firstValue("X-Beacon-Index").orElseThrow());
    }
}
