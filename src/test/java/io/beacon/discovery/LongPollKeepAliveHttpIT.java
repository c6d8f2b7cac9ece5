package io.beacon.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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

    /** A response read from the wire: status, headers (lower-case names) and the body. */
    record Raw(int status, Map<String, String> headers, String body) {
    }

    @Test
    void wokenAnswersAreWholeAndTheConnectionCarriesTheNextPoll() throws Exception {
        Http http = new Http(port);
        long index = register(http, "a");
        double wakesBefore = scrape(http, "beacon_watch_wake_seconds_count");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            for (String id : new String[] {"b", "c"}) {
                send(socket.getOutputStream(), "/discover?name=lp-keep&index=" + index + "&wait=30s");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> scrape(http, "beacon_watchers{kind=\"long_poll\"}") >= 1.0);
                long next = register(http, id);

                Raw answer = read(socket.getInputStream());
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
        assertThat(scrape(http, "beacon_watch_wake_seconds_count")).isEqualTo(wakesBefore + 2);
    }

    private static long register(Http http, String id) {
        HttpResponse<String> r = http.post("/register",
                "{\"name\":\"lp-keep\",\"address\":\"10.0.0.1\",\"port\":8080,\"id\":\"" + id + "\"}");
        assertThat(r.statusCode()).isBetween(200, 201);
        return Long.parseLong(r.headers().firstValue("X-Beacon-Index").orElseThrow());
    }

    private static double scrape(Http http, String series) {
        return http.get("/actuator/prometheus").body().lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1))).findFirst().orElse(0);
    }

    private void send(OutputStream out, String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one response: up to the blank line, then exactly {@code Content-Length} bytes. */
    private static Raw read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("connection closed before the headers ended").isNotNegative();
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        assertThat(headers).containsKey("content-length");
        byte[] body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }
}
