package io.beacon.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * Keep-alive comments are timed per stream: the first comes {@code beacon.watch.keep-alive} after the
 * stream opened, the next one keep-alive after the last frame, not on a timer shared by every stream
 * (which made a stream opened just after its tick, or active just before one, wait up to twice as long).
 * The bounds leave room for a busy machine but stay under 1.5 times the interval.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "beacon.watch.keep-alive=2s")
@Import(TestClockConfiguration.class)
class StreamKeepAliveHttpIT {

    static final long KEEP_ALIVE_MS = 2_000;
    static final long LATE_MS = 900;
    /**
     * Frames are timed where they are enqueued; the reader sees them later, the first one too, and on a busy
     * machine the snapshot can reach the reader a few hundred milliseconds after it was sent, which makes the
     * measured interval to the first keep-alive look that much shorter.
     */
    static final long EARLY_MS = 500;

    @LocalServerPort
    int port;

    @Test
    void firstKeepAliveComesOneIntervalAfterOpeningAndTheNextOneIntervalAfterTheLastChange() throws Exception {
        Http http = new Http(port);
        register(http, "a");
        try (SseClient sse = SseClient.open(http.base(), "/watch?name=ka-svc", null)) {
            assertThat(sse.next().name()).isEqualTo("snapshot");
            long opened = sse.eventTimes.take();

            long firstKeepAlive = nextComment(sse);
            assertThat(millis(firstKeepAlive - opened)).isBetween(KEEP_ALIVE_MS - EARLY_MS, KEEP_ALIVE_MS + LATE_MS);

            register(http, "b");
            assertThat(sse.next().name()).isEqualTo("registered");
            long changed = sse.eventTimes.take();
            long secondKeepAlive = nextComment(sse);
            assertThat(millis(secondKeepAlive - changed)).isBetween(KEEP_ALIVE_MS - EARLY_MS, KEEP_ALIVE_MS + LATE_MS);

            long thirdKeepAlive = nextComment(sse);
            assertThat(millis(thirdKeepAlive - secondKeepAlive))
                    .isBetween(KEEP_ALIVE_MS - EARLY_MS, KEEP_ALIVE_MS + LATE_MS);
        }
    }

    private static long nextComment(SseClient sse) throws InterruptedException {
        Long at = sse.commentTimes.poll(KEEP_ALIVE_MS * 3, TimeUnit.MILLISECONDS);
        assertThat(at).as("a keep-alive comment within " + Duration.ofMillis(KEEP_ALIVE_MS * 3)).isNotNull();
        return at;
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static void register(Http http, String id) {
        HttpResponse<String> r = http.post("/register",
                "{\"name\":\"ka-svc\",\"address\":\"10.0.0.1\",\"port\":8080,\"id\":\"" + id + "\"}");
        assertThat(r.statusCode()).isBetween(200, 201);
    }
}
