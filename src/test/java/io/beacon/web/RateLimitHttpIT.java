package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.support.Http;
import io.beacon.support.MutableClock;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * Rate limits over real HTTP from one client address, with the test clock: the last request of a budget
 * accepted, the first refused with 429, {@code Retry-After} and a problem naming the budget, nothing
 * changed; heartbeats keep their own budget under a flood of registrations and reports; the budget refills
 * as the clock moves. One test: the budgets of 127.0.0.1 are shared by everything in this context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "server.address=127.0.0.1", "beacon.sweep.interval=1h", "beacon.self-preservation.enabled=false",
    "beacon.limits.registrations-per-minute=5", "beacon.limits.writes-per-minute=3",
    "beacon.limits.reads-per-minute=1000", "beacon.limits.heartbeats-per-minute=100",
    "beacon.limits.refusal-delay=0"})
@Import(TestClockConfiguration.class)
class RateLimitHttpIT {

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;

    private HttpResponse<String> register(Http http, int port) {
        return http.post("/register", "{\"name\":\"rated\",\"address\":\"10.1.2.3\",\"port\":" + port + "}");
    }

    private static String scrape(Http http) {
        return http.get("/actuator/prometheus").body();
    }

    @Test
    void budgetsPerClientAndKind() {
        Http http = new Http(port);
        assertThat(scrape(http)).contains("beacon_limit_rejections_total{limit=\"registrations-per-minute\"} 0.0",
                "beacon_limit_rejections_total{limit=\"heartbeats-per-minute\"} 0.0");
        for (int i = 1; i <= 5; i++) {
            assertThat(register(http, i).statusCode()).as("registration %d", i).isEqualTo(201);
        }

        HttpResponse<String> refused = register(http, 6);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        // 5 per minute: one more every 12 s
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("12");
        JsonNode problem = Http.json(refused);
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("detail").asString()).isEqualTo("Rate limit 'registrations' of 5 per minute for "
                + "127.0.0.1 exceeded; retry after 12 s (beacon.limits.registrations-per-minute).");
        assertThat(problem.get("limit").asString()).isEqualTo("registrations-per-minute");
        assertThat(problem.get("value").asInt()).isEqualTo(5);
        assertThat(http.get("/services/rated/instances/10.1.2.3:6").statusCode()).isEqualTo(404);
        assertThat(Http.json(http.get("/services/rated")).get("instances")).hasSize(5);
        // Eureka registrations spend the same budget
        assertThat(http.post("/eureka/apps/RATED", "{}").statusCode()).isEqualTo(429);

        // reports and other writes have a budget of their own, and a flood of them leaves heartbeats alone
        for (int i = 0; i < 3; i++) {
            assertThat(http.post("/report", "{\"name\":\"rated\",\"id\":\"10.1.2.3:1\",\"outcome\":\"success\"}")
                    .statusCode()).isEqualTo(200);
        }
        assertThat(http.post("/report", "{}").statusCode()).isEqualTo(429);
        assertThat(http.delete("/deregister/rated/10.1.2.3:1").statusCode()).isEqualTo(429);
        assertThat(http.get("/services/rated/instances/10.1.2.3:1").statusCode()).isEqualTo(200);
        for (int i = 0; i < 100; i++) {
            assertThat(http.put("/heartbeat/rated/10.1.2.3:" + (i % 5 + 1), null).statusCode())
                    .as("heartbeat %d", i).isEqualTo(200);
        }
        HttpResponse<String> heartbeat = http.put("/heartbeat/rated/10.1.2.3:1", null);
        assertThat(heartbeat.statusCode()).isEqualTo(429);
        assertThat(Http.json(heartbeat).get("detail").asString()).startsWith("Rate limit 'heartbeats' of 100");
        // probes and the scrape are never limited
        assertThat(http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(12));
        assertThat(register(http, 6).statusCode()).isEqualTo(201);
        assertThat(register(http, 7).statusCode()).isEqualTo(429);

        String metrics = scrape(http);
        assertThat(metrics).contains("beacon_limit_rejections_total{limit=\"registrations-per-minute\"} 3.0",
                "beacon_limit_rejections_total{limit=\"writes-per-minute\"} 2.0",
                "beacon_limit_rejections_total{limit=\"heartbeats-per-minute\"} 1.0",
                "beacon_limit_rejections_total{limit=\"reads-per-minute\"} 0.0");
    }
}
