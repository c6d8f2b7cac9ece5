package io.beacon.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * Held long polls whose client closed its socket: released, and the {@code beacon_watchers{kind="long_poll"}}
 * gauge back at 0, within a few seconds (the probe interval), long before their wait of 5 minutes ends.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
class GoneLongPollHttpIT {

    static final int POLLS = 20;

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;

    private double held() {
        return meters.get("beacon.watchers").tag("kind", "long_poll").gauge().value();
    }

    @Test
    void pollsOfClosedSocketsAreReleasedPromptly() throws IOException {
        Http http = new Http(port);
        assertThat(http.post("/register", "{\"name\":\"gone-polls\",\"address\":\"10.0.0.1\",\"port\":8080}").statusCode())
                .isBetween(200, 201);
        long index = Long.parseLong(http.get("/discover?name=gone-polls").headers().firstValue("X-Beacon-Index").orElseThrow());
        double before = held();
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < POLLS; i++) {
            Socket socket = new Socket("127.0.0.1", port);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /discover?name=gone-polls&index=" + index + "&wait=5m HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sockets.add(socket);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> held() == before + POLLS);

        for (Socket s : sockets) {
            s.close();
        }

        // probed every 2 s
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(held()).isEqualTo(before));

        // a client still waiting is left alone by the probes
        Socket waiting = new Socket("127.0.0.1", port);
        waiting.getOutputStream().write(("GET /discover?name=gone-polls&index=" + index + "&wait=5m HTTP/1.1\r\nHost: "
                + "127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        waiting.getOutputStream().flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> held() == before + 1);
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> held() == before + 1);
        assertThat(waiting.getInputStream().available()).as("nothing answered yet").isZero();
        waiting.close();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(held()).isEqualTo(before));
    }
}
