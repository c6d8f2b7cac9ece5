package io.beacon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.expiry.ExpirySweeper;
import io.beacon.registry.InstanceStatus;
import io.beacon.support.Http;
import io.beacon.support.MutableClock;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Registry metrics scraped from {@code /actuator/prometheus} after a known sequence. The context is
 * this class's own (its properties differ from every other test) and discarded afterwards, so the
 * counters start at zero and their exact values can be asserted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"beacon.sweep.interval=1h", "info.app.test=metrics"})
@Import(TestClockConfiguration.class)
@DirtiesContext
class RegistryMetricsHttpIT {

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    ExpirySweeper sweeper;

    private Http http;

    private void register(String service, String id, int port) {
        HttpResponse<String> r = http.post("/register",
                "{\"name\":\"" + service + "\",\"id\":\"" + id + "\",\"address\":\"10.0.0.1\",\"port\":" + port + "}");
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }

    private void heartbeat(String service, String id, int status) {
        assertThat(http.put("/heartbeat/" + service + "/" + id, null).statusCode()).isEqualTo(status);
    }

    private PrometheusScrape scrape() {
        HttpResponse<String> r = http.get("/actuator/prometheus");
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusScrape.parse(r.body());
    }

    @Test
    void countersAndGaugesHaveExactValuesAfterAKnownSequence() {
        http = new Http(port);
        PrometheusScrape empty = scrape();
        assertThat(empty.value("beacon_registrations_total")).isEqualTo(0.0);
        assertThat(empty.value("beacon_services")).isEqualTo(0.0);

        Instant t0 = clock.instant();
        register("m-a", "a1", 1);
        register("m-a", "a2", 2);
        register("m-b", "b1", 3);
        register("m-a", "a1", 1);          // repeat, unchanged
        register("m-a", "a2", 22);         // repeat, changed
        heartbeat("m-a", "a1", 200);
        heartbeat("m-a", "a2", 200);
        heartbeat("m-b", "b1", 200);
        heartbeat("m-a", "ghost", 404);
        heartbeat("m-none", "x", 404);
        assertThat(http.delete("/deregister/m-a/a2").statusCode()).isEqualTo(204);
        assertThat(http.delete("/deregister/m-a/a2").statusCode()).isEqualTo(404);
        register("m-c", "c1", 4);
        assertThat(http.post("/register", "{\"name\":\"m-d\",\"address\":\"10.0.0.1\",\"port\":0}").statusCode())
                .as("rejected registrations are not counted").isEqualTo(400);

        PrometheusScrape live = scrape();
        assertThat(live.value("beacon_services")).isEqualTo(3.0);
        assertThat(live.value("beacon_instances", "service", "m-a", "status", "UP")).isEqualTo(1.0);
        assertThat(live.value("beacon_instances", "service", "m-b", "status", "UP")).isEqualTo(1.0);
        assertThat(live.value("beacon_instances", "service", "m-c", "status", "UP")).isEqualTo(1.0);
        assertThat(live.value("beacon_instances", "service", "m-d", "status", "UP")).isNull();

        clock.set(t0.plusSeconds(20));
        heartbeat("m-b", "b1", 200);
        clock.set(t0.plusSeconds(31));
        sweeper.sweep(clock.instant());     // a1 and c1 STALE
        PrometheusScrape stale = scrape();
        assertThat(stale.value("beacon_stale_total")).isEqualTo(2.0);
        assertThat(stale.value("beacon_instances", "service", "m-a", "status", "STALE")).isEqualTo(1.0);
        assertThat(stale.value("beacon_instances", "service", "m-a", "status", "UP")).isEqualTo(0.0);
        assertThat(stale.value("beacon_instances", "service", "m-b", "status", "UP")).isEqualTo(1.0);

        clock.set(t0.plusSeconds(40));
        heartbeat("m-a", "a1", 200);        // a1 back UP
        clock.set(t0.plusSeconds(91));
        sweeper.sweep(clock.instant());     // c1 evicted; b1 and a1 STALE

        PrometheusScrape end = scrape();
        assertThat(end.value("beacon_registrations_total")).isEqualTo(6.0);
        assertThat(end.value("beacon_heartbeats_total", "result", "ok")).isEqualTo(5.0);
        assertThat(end.value("beacon_heartbeats_total", "result", "unknown")).isEqualTo(2.0);
        assertThat(end.value("beacon_deregistrations_total")).isEqualTo(1.0);
        assertThat(end.value("beacon_stale_total")).isEqualTo(4.0);
        assertThat(end.value("beacon_evictions_total")).isEqualTo(1.0);
        assertThat(end.value("beacon_services")).isEqualTo(2.0);
        for (InstanceStatus status : InstanceStatus.values()) {
            double expected = status == InstanceStatus.STALE ? 1.0 : 0.0;
            assertThat(end.value("beacon_instances", "service", "m-a", "status", status.name()))
                    .as("m-a %s", status).isEqualTo(expected);
            assertThat(end.value("beacon_instances", "service", "m-b", "status", status.name()))
                    .as("m-b %s", status).isEqualTo(expected);
            assertThat(end.value("beacon_instances", "service", "m-c", "status", status.name()))
                    .as("m-c %s", status).isEqualTo(0.0);
        }
        assertThat(end.hasSampleStartingWith("http_server_requests_seconds_bucket{")).isTrue();
        assertThat(end.value("http_server_requests_seconds_count", "error", "none", "exception", "none",
                "method", "POST", "outcome", "SUCCESS", "status", "201", "uri", "/register")).isEqualTo(4.0);
    }

    @Test
    void actuatorEndpointsAnswer() {
        http = new Http(port);
        for (String path : new String[] {"/actuator/health", "/actuator/health/liveness",
                "/actuator/health/readiness"}) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(Http.json(r).get("status").asString()).as(path).isEqualTo("UP");
        }
        HttpResponse<String> info = http.get("/actuator/info");
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(Http.json(info).get("app").get("name").asString()).isEqualTo("Beacon");
        assertThat(Http.json(info).get("app").get("test").asString()).isEqualTo("metrics");
    }
}
