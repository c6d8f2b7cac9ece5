package io.beacon.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.beacon.support.RawHttp;
import io.beacon.support.TestClockConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * A held poll is answered at its wait (plus the jitter the injected random source chose), not at the
 * container's next once-a-second async timeout check, and a poll woken by a change gets exactly one
 * answer. Elapsed-time bounds are generous for a busy machine; they only tell "at the wait" from "up to a
 * second later".
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({TestClockConfiguration.class, LongPollTimingHttpIT.FixedRandom.class})
class LongPollTimingHttpIT {

    /** What the random source returns; 0 means no jitter, -1 (all bits set) the largest, 1/16 of the wait. */
    static final AtomicLong RANDOM = new AtomicLong();

    @TestConfiguration(proxyBeanMethods = false)
    static class FixedRandom {
        @Bean
        @Primary
        RandomGenerator fixedRandom() {
            return RANDOM::get;
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("beaconWatchScheduler")
    ThreadPoolTaskScheduler watchThreads;

    @AfterEach
    void noJitter() {
        RANDOM.set(0);
    }

    @Test
    void aShortWaitIsAnsweredAtTheWaitNotASecondLater() {
        Http http = new Http(port);
        long index = register(http, "lp-time", "a");
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            HttpResponse<String> r = http.get("/discover?name=lp-time&index=" + index + "&wait=200ms");
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Beacon-Index")).hasValue(Long.toString(index));
            assertThat(elapsed).as("round %d", round).isBetween(200L, 700L);
        }
    }

    @Test
    void theJitterIsTheInjectedRandomSourcesShareOfASixteenthOfTheWait() {
        Http http = new Http(port);
        long index = register(http, "lp-jitter", "a");
        RANDOM.set(-1L); // nextDouble() just under 1: jitter 1600 / 16 = 99 ms
        long start = System.nanoTime();
        HttpResponse<String> r = http.get("/discover?name=lp-jitter&index=" + index + "&wait=1600ms");
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(elapsed).isBetween(1699L, 2200L);
    }

    @Test
    void aWokenPollGetsOneAnswerAndItsTimerIsCancelled() throws Exception {
        Http http = new Http(port);
        long index = register(http, "lp-once", "a");
        long timersBefore = liveTimersBeyond(Duration.ofSeconds(30));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            RawHttp.get(socket.getOutputStream(), port, "/discover?name=lp-once&index=" + index + "&wait=60s");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> liveTimersBeyond(Duration.ofSeconds(30)) == timersBefore + 1);
            long next = register(http, "lp-once", "b");

            String woken = read(socket.getInputStream());
            assertThat(woken).startsWith("HTTP/1.1 200").containsIgnoringCase("x-beacon-index: " + next);
            // the 60 s timer is cancelled, not left to fire into an answered poll
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> liveTimersBeyond(Duration.ofSeconds(30)) == timersBefore);

            // the connection carries the next request, with nothing of a second answer in front of it
            RawHttp.get(socket.getOutputStream(), port, "/discover?name=lp-once");
            String plain = read(socket.getInputStream());
            assertThat(plain).startsWith("HTTP/1.1 200").containsIgnoringCase("x-beacon-index: " + next)
                    .contains("\"count\":2");
        }
    }

    /** Scheduled tasks not cancelled and due later than {@code beyond}: held polls' timers, nothing else. */
    private long liveTimersBeyond(Duration beyond) {
        return watchThreads.getScheduledThreadPoolExecutor().getQueue().stream()
                .map(task -> (RunnableScheduledFuture<?>) task)
                .filter(task -> !task.isCancelled() && task.getDelay(TimeUnit.MILLISECONDS) > beyond.toMillis())
                .count();
    }

    @Test
    void pollsRacingTheirTimeoutAgainstAChangeAreEachAnsweredOnce() throws Exception {
        Http http = new Http(port);
        long index = register(http, "lp-race", "r0");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            for (int round = 1; round <= 20; round++) {
                RawHttp.get(socket.getOutputStream(), port,
                        "/discover?name=lp-race&index=" + index + "&wait=" + (5 + round % 4 * 5) + "ms");
                long next = register(http, "lp-race", "r" + round);
                String answer = read(socket.getInputStream());
                assertThat(answer).as("round %d", round).startsWith("HTTP/1.1 200");
                long answered = Long.parseLong(header(answer, "x-beacon-index"));
                assertThat(answered).isBetween(index, next);
                index = next;
            }
            RawHttp.get(socket.getOutputStream(), port, "/discover?name=lp-race");
            assertThat(read(socket.getInputStream())).startsWith("HTTP/1.1 200").contains("\"count\":21");
        }
    }

    private static long register(Http http, String service, String id) {
        HttpResponse<String> r = http.post("/register",
                "{\"name\":\"" + service + "\",\"address\":\"10.0.0.1\",\"port\":8080,\"id\":\"" + id + "\"}");
        assertThat(r.statusCode()).isBetween(200, 201);
        return Long.parseLong(r.headers().firstValue("X-Beacon-Index").orElseThrow());
    }

    /** One whole response (headers, then exactly Content-Length bytes), as text. */
    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("connection closed before the headers ended").isNotNegative();
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        byte[] body = in.readNBytes(Integer.parseInt(header(headers, "content-length")));
        return headers + new String(body, StandardCharsets.UTF_8);
    }

    private static String header(String response, String name) {
        return response.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name + ":"))
                .map(l -> l.substring(name.length() + 1).trim()).findFirst().orElseThrow();
    }
}
