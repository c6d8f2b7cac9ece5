package io.beacon.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.expiry.ExpirySweeper;
import io.beacon.support.Http;
import io.beacon.support.MutableClock;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.JsonNode;

/**
 * A registry listener that throws on every event, running before every other listener, does not
 * change any HTTP answer: registration is 201 with the instance and the index, a heartbeat 200, and the
 * listeners after it (expiry, the discovery cache) still see every change. The failures are counted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"beacon.sweep.interval=1h", "beacon.self-preservation.enabled=false"})
@Import({TestClockConfiguration.class, ListenerFailureHttpIT.FailingListenerConfiguration.class})
class ListenerFailureHttpIT {

    private static final String INDEX = "X-Beacon-Index";

    /** The first listener of all: must-see, highest precedence, and broken. */
    static final class FailingListener implements RegistryListener {
        final List<RegistryEvent> seen = new CopyOnWriteArrayList<>();

        @Override
        public void on(RegistryEvent event) {
            seen.add(event);
            throw new IllegalStateException("listener bug");
        }

        @Override
        public Phase phase() {
            return Phase.MUST_SEE;
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class FailingListenerConfiguration {
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        FailingListener failingListener() {
            return new FailingListener();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    ExpirySweeper sweeper;
    @Autowired
    FailingListener failing;

    private static long index(HttpResponse<String> response) {
        return Long.parseLong(response.headers().firstValue(INDEX).orElseThrow());
    }

    private static String register(String id) {
        return "{\"name\":\"orders\",\"id\":\"" + id + "\",\"address\":\"10.1.2.3\",\"port\":8080}";
    }

    @Test
    void writesAnswerAsIfNoListenerFailedAndTheOtherListenersStillRun() {
        Http http = new Http(port);

        HttpResponse<String> created = http.post("/register", register("a"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Http.json(created).get("id").asString()).isEqualTo("a");
        assertThat(Http.json(created).get("status").asString()).isEqualTo("UP");
        long first = index(created);
        assertThat(first).isPositive();
        assertThat(failing.seen).extracting(RegistryEvent::kind).containsExactly(RegistryEvent.Kind.REGISTERED);

        // an answer the discovery cache keeps until an event tells it the service changed
        assertThat(Http.json(http.get("/discover?name=orders")).at("/count").asInt()).isEqualTo(1);
        HttpResponse<String> second = http.post("/register", register("b"));
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(index(second)).isGreaterThan(first);
        JsonNode both = Http.json(http.get("/discover?name=orders"));
        assertThat(both.at("/count").asInt()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(10));
        HttpResponse<String> beat = http.put("/heartbeat/orders/a", null);
        assertThat(beat.statusCode()).as(beat.body()).isEqualTo(200);
        assertThat(index(beat)).isEqualTo(index(second));

        // the expiry queue (a must-see listener after the failing one) learnt both leases
        clock.advance(Duration.ofSeconds(21));
        assertThat(sweeper.sweep(clock.instant()).markedStale()).isEqualTo(1);
        JsonNode left = Http.json(http.get("/discover?name=orders"));
        assertThat(left.at("/count").asInt()).isEqualTo(1);
        assertThat(left.at("/services/0/id").asString()).isEqualTo("a");

        assertThat(failing.seen).extracting(RegistryEvent::kind).containsExactly(RegistryEvent.Kind.REGISTERED,
                RegistryEvent.Kind.REGISTERED, RegistryEvent.Kind.RENEWED, RegistryEvent.Kind.STATUS_CHANGED);
        String scrape = http.get("/actuator/prometheus").body();
        Matcher counter = Pattern.compile("beacon_event_listener_errors_total\\{[^}]*listener=\"FailingListener\"[^}]*} (\\S+)")
                .matcher(scrape);
        assertThat(counter.find()).as("error counter in the scrape").isTrue();
        assertThat(Double.parseDouble(counter.group(1))).isEqualTo(4.0);
        assertThat(scrape).contains("beacon_event_listener_errors_total{listener=\"ExpirySweeper\"} 0.0");
    }
}
