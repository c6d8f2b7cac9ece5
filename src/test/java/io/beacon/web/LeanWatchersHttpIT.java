package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.beacon.support.RawHttp;
import io.beacon.support.TestClockConfiguration;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * Held watchers over raw HTTP/1.1 connections: a long poll or a stream on a plain keep-alive connection is held
 * lean ({@code beacon_watchers_lean}), sends what the servlet way sends, gives its connection back for the next
 * request, and is released the moment its client closes; a client that asks to close is held the servlet way,
 * and so is everyone with {@code beacon.server.lean-watchers=false}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
class LeanWatchersHttpIT {

    static final Duration SOON = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Test
    void aHeldPollIsLeanItsAnswerIsAPlainDiscoveryAndItsConnectionCarriesTheNext() throws Exception {
        Http http = new Http(port);
        long index = register(http, "lean-a", "a");
        try (Socket socket = socket()) {
            RawHttp.get(socket.getOutputStream(), port, "/discover?name=lean-a&index=" + index + "&wait=30s");
            await().atMost(SOON).until(() -> http.scrape("beacon_watchers_lean") == 1.0);
            assertThat(http.scrape("beacon_watchers{kind=\"long_poll\"}")).isEqualTo(1.0);
            long next = register(http, "lean-a", "b");

            RawHttp.Raw woken = RawHttp.read(socket.getInputStream());
            await().atMost(SOON).until(() -> http.scrape("beacon_watchers_lean") == 0.0);
            // the same connection carries a plain discovery: the two answers match, header for header
            RawHttp.get(socket.getOutputStream(), port, "/discover?name=lean-a");
            RawHttp.Raw plain = RawHttp.read(socket.getInputStream());
            assertThat(woken.status()).isEqualTo(200);
            assertThat(woken.names()).isEqualTo(plain.names())
                    .containsExactly("X-Beacon-Index", "Content-Type", "Content-Length", "Date");
            assertThat(woken.headers()).containsEntry("x-beacon-index", Long.toString(next))
                    .containsEntry("content-type", "application/json")
                    .containsEntry("content-length", Integer.toString(woken.body().getBytes(StandardCharsets.UTF_8).length));
            assertThat(woken.body()).isEqualTo(plain.body()).contains("\"id\":\"b\"");
            await().atMost(SOON).until(() -> http.scrape("beacon_watchers{kind=\"long_poll\"}") == 0.0);
        }
    }

    @Test
    void largeAnswersArriveWholeAlsoToAClientThatReadsThemLate() throws Exception {
        Http http = new Http(port);
        // about 250 KB of answer: more than the socket takes at once while the client is not reading
        for (int i = 0; i < 600; i++) {
            register(http, "lean-large", "i" + i);
        }
        long index = register(http, "lean-large", "i0");
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(10_000);
            RawHttp.get(socket.getOutputStream(), port, "/discover?name=lean-large&index=" + index + "&wait=30s");
            await().atMost(SOON).until(() -> http.scrape("beacon_watchers_lean") == 1.0);
            long next = register(http, "lean-large", "last");
            // the socket takes a part of the answer at once (a small receive buffer, nothing read yet); the rest
            // follows as it is read
            RawHttp.Raw woken = RawHttp.read(socket.getInputStream());
            assertThat(woken.headers()).containsEntry("x-beacon-index", Long.toString(next));
            RawHttp.get(socket.getOutputStream(), port, "/discover?name=lean-large");
            RawHttp.Raw plain = RawHttp.read(socket.getInputStream());
            assertThat(woken.body()).hasSizeGreaterThan(200_000).isEqualTo(plain.body()).contains("\"id\":\"last\"");
        }
    }

    @Test
    void clientsThatCloseAreReleasedAtOnceNotAtTheirWait() throws Exception {
        Http http = new Http(port);
        long index = register(http, "lean-gone", "a");
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket socket = socket();
                sockets.add(socket);
                RawHttp.get(socket.getOutputStream(), port, "/discover?name=lean-gone&index=" + index + "&wait=5m");
            }
            await().atMost(SOON).until(() -> http.scrape("beacon_watchers_lean") == 20.0);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        // the connections report their end: no probe interval, no 5-minute wait
        await().atMost(Duration.ofSeconds(3)).until(() -> http.scrape("beacon_watchers{kind=\"long_poll\"}") == 0.0
                && http.scrape("beacon_watchers_lean") == 0.0);
    }

    @Test
    void bytesSentWhileHeldGetTheAnswerNowAndTheConnectionClosesAfterIt() throws Exception {
        Http http = new Http(port);
        long index = register(http, "lean-early", "a");
        try (Socket socket = socket()) {
            RawHttp.get(socket.getOutputStream(), port, "/discover?name=lean-early&index=" + index + "&wait=5m");
            await().atMost(SOON).until(() -> http.scrape("beacon_watchers_lean") == 1.0);
            RawHttp.get(socket.getOutputStream(), port, "/discover?name=lean-early");

            RawHttp.Raw answer = RawHttp.read(socket.getInputStream());
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.headers()).containsEntry("x-beacon-index", Long.toString(index))
                    .containsEntry("connection", "close");
            assertThat(socket.getInputStream().read()).as("closed after the answer").isEqualTo(-1);
        }
        await().atMost(SOON).until(() -> http.scrape("beacon_watchers{kind=\"long_poll\"}") == 0.0);
    }

    @Test
    void aClientThatAsksToCloseOrSpeaksHttp10IsHeldLeanAndClosedAfterItsAnswer() throws Exception {
        Http http = new Http(port);
        long index = register(http, "lean-close", "a");
        try (Socket close = socket(); Socket old = socket()) {
            RawHttp.get(close.getOutputStream(), port, "/discover?name=lean-close&index=" + index + "&wait=30s",
                    "Connection: close");
            old.getOutputStream().write(("GET /discover?name=lean-close&index=" + index + "&wait=30s HTTP/1.0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            await().atMost(SOON).until(() -> http.scrape("beacon_watchers_lean") == 2.0);
            long next = register(http, "lean-close", "b");

            for (Socket socket : List.of(close, old)) {
                RawHttp.Raw answer = RawHttp.read(socket.getInputStream());
                assertThat(answer.headers()).containsEntry("x-beacon-index", Long.toString(next))
                        .containsEntry("connection", "close");
                assertThat(answer.body()).contains("\"id\":\"b\"");
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void aPollThatCarriesABodyIsHeldLeanOnceTheBodyIsRead() throws Exception {
        Http http = new Http(port);
        long index = register(http, "lean-body", "a");
        try (Socket socket = socket()) {
            socket.getOutputStream().write(("GET /discover?name=lean-body&index=" + index + "&wait=30s HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(RawHttp.head(socket.getInputStream()).status()).isEqualTo(100);
            assertThat(http.scrape("beacon_watchers{kind=\"long_poll\"}")).as("held only once the body came").isZero();
            socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            await().atMost(SOON).until(() -> http.scrape("beacon_watchers_lean") == 1.0);
            long next = register(http, "lean-body", "b");

            RawHttp.Raw answer = RawHttp.read(socket.getInputStream());
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.headers()).containsEntry("x-beacon-index", Long.toString(next));
            // the body was read: the connection carries the next request
            RawHttp.get(socket.getOutputStream(), port, "/discover?name=lean-body");
            assertThat(RawHttp.read(socket.getInputStream()).body()).isEqualTo(answer.body());
        }
    }

    @Test
    void aHeadPollGetsTheHeadersAloneAndKeepsItsConnection() throws Exception {
        Http http = new Http(port);
        long index = register(http, "lean-head", "a");
        try (Socket socket = socket()) {
            socket.getOutputStream().write(("HEAD /discover?name=lean-head&index=" + index + "&wait=30s HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            await().atMost(SOON).until(() -> http.scrape("beacon_watchers_lean") == 1.0);
            long next = register(http, "lean-head", "b");

            RawHttp.Head head = RawHttp.head(socket.getInputStream());
            assertThat(head.headers()).containsEntry("x-beacon-index", Long.toString(next)).containsKey("content-length");
            // no body followed: the next answer on the connection starts right after the head
            RawHttp.get(socket.getOutputStream(), port, "/discover?name=lean-head");
            RawHttp.Raw plain = RawHttp.read(socket.getInputStream());
            assertThat(plain.status()).isEqualTo(200);
            assertThat(head.headers().get("content-length")).isEqualTo(plain.headers().get("content-length"));
        }
    }

    @Test
    void aHeadWatchGetsTheStreamHeadersAndNoStream() throws Exception {
        Http http = new Http(port);
        try (Socket socket = socket()) {
            socket.getOutputStream().write("HEAD /watch HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            RawHttp.Head head = RawHttp.head(socket.getInputStream());
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers()).containsEntry("content-type", "text/event-stream;charset=UTF-8");
            assertThat(socket.getInputStream().read()).as("closed, nothing streamed").isEqualTo(-1);
        }
        assertThat(http.scrape("beacon_watchers{kind=\"stream\"}")).isZero();
    }

    @Test
    void aStreamIsLeanSendsTheServletHeadersAndEndsWhenItsClientCloses() throws Exception {
        Http http = new Http(port);
        register(http, "lean-sse", "a");
        try (Socket socket = socket()) {
            RawHttp.get(socket.getOutputStream(), port, "/watch?name=lean-sse");
            InputStream in = socket.getInputStream();
            RawHttp.Head head = RawHttp.head(in);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.names()).containsExactly("Cache-Control", "X-Accel-Buffering", "Connection", "Content-Type",
                    "Date");
            assertThat(head.headers()).containsEntry("content-type", "text/event-stream;charset=UTF-8")
                    .containsEntry("connection", "close").containsEntry("cache-control", "no-cache");
            assertThat(frame(in)).contains("event: snapshot").contains("\"id\":\"a\"");
            assertThat(http.scrape("beacon_watchers_lean")).isEqualTo(1.0);

            register(http, "lean-sse", "b");
            assertThat(frame(in)).contains("event: registered").contains("\"id\":\"b\"");
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> http.scrape("beacon_watchers{kind=\"stream\"}") == 0.0
                && http.scrape("beacon_watchers_lean") == 0.0);
    }

    /** With the switch off, nothing is held lean and the wire is the same. */
    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = "beacon.server.lean-watchers=false")
    @Import(TestClockConfiguration.class)
    class SwitchedOff {

        @LocalServerPort
        int offPort;

        @Test
        void pollsAndStreamsAreHeldTheServletWay() throws Exception {
            Http http = new Http(offPort);
            long index = register(http, "off-a", "a");
            try (Socket poll = socket(offPort); Socket stream = socket(offPort)) {
                RawHttp.get(poll.getOutputStream(), offPort, "/discover?name=off-a&index=" + index + "&wait=30s");
                RawHttp.get(stream.getOutputStream(), offPort, "/watch?name=off-a");
                RawHttp.Head head = RawHttp.head(stream.getInputStream());
                assertThat(head.names()).containsExactly("Cache-Control", "X-Accel-Buffering", "Connection",
                        "Content-Type", "Date");
                await().atMost(SOON).until(() -> http.scrape("beacon_watchers{kind=\"long_poll\"}") == 1.0);
                assertThat(http.scrape("beacon_watchers_lean")).isZero();
                long next = register(http, "off-a", "b");

                RawHttp.Raw answer = RawHttp.read(poll.getInputStream());
                assertThat(answer.names()).containsExactly("X-Beacon-Index", "Content-Type", "Content-Length", "Date");
                assertThat(answer.headers()).containsEntry("x-beacon-index", Long.toString(next));
            }
        }
    }

    /** Tomcat's limit of requests per connection holds for the lean answers as for every other. */
    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = "server.tomcat.max-keep-alive-requests=3")
    @Import(TestClockConfiguration.class)
    class KeepAliveLimit {

        @LocalServerPort
        int limitPort;

        @Test
        void aPollThatIsItsConnectionsLastRequestIsAnsweredWithConnectionCloseAndTheConnectionCloses() throws Exception {
            Http http = new Http(limitPort);
            long index = register(http, "limit-a", "a");
            try (Socket socket = socket(limitPort)) {
                // requests 1 and 2: a held poll and a plain discovery, the connection kept
                RawHttp.get(socket.getOutputStream(), limitPort, "/discover?name=limit-a&index=" + index + "&wait=30s");
                await().atMost(SOON).until(() -> http.scrape("beacon_watchers_lean") == 1.0);
                index = register(http, "limit-a", "b");
                RawHttp.Raw first = RawHttp.read(socket.getInputStream());
                assertThat(first.headers()).containsEntry("x-beacon-index", Long.toString(index))
                        .doesNotContainKey("connection");
                RawHttp.get(socket.getOutputStream(), limitPort, "/discover?name=limit-a");
                assertThat(RawHttp.read(socket.getInputStream()).headers()).doesNotContainKey("connection");

                // request 3, the last: held lean, then answered with Connection: close, and the connection closes
                RawHttp.get(socket.getOutputStream(), limitPort, "/discover?name=limit-a&index=" + index + "&wait=30s");
                await().atMost(SOON).until(() -> http.scrape("beacon_watchers_lean") == 1.0);
                long last = register(http, "limit-a", "c");
                RawHttp.Raw answer = RawHttp.read(socket.getInputStream());
                assertThat(answer.headers()).containsEntry("x-beacon-index", Long.toString(last))
                        .containsEntry("connection", "close");
                assertThat(answer.body()).contains("\"id\":\"c\"");
                assertThat(socket.getInputStream().read()).as("closed after the answer").isEqualTo(-1);
            }
        }
    }

    private Socket socket() throws Exception {
        return socket(port);
    }

    private static Socket socket(int port) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Reads one SSE frame, up to its blank line. */
    private static String frame(InputStream in) throws Exception {
        StringBuilder frame = new StringBuilder();
        while (!frame.toString().endsWith("\n\n")) {
            int b = in.read();
            assertThat(b).as("stream ended").isNotNegative();
            frame.append((char) b);
        }
        return frame.toString();
    }

    private static long register(Http http, String name, String id) {
        HttpResponse<String> r = http.post("/register",
                "{\"name\":\"" + name + "\",\"address\":\"10.0.0.1\",\"port\":8080,\"id\":\"" + id + "\"}");
        assertThat(r.statusCode()).isBetween(200, 201);
        return Long.parseLong(r.headers().firstValue("X-Beacon-Index").orElseThrow());
    }
}
