package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.support.Http;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Delayed refusals over real HTTP: a request over its budget gets its 429 only after the refusal delay
 * (real time: the delay is a wait of the scheduler, the budget's refill follows the clock), with the same
 * problem body and {@code Retry-After}; many refused at once are all answered, none is lost. The delay is
 * not shortened when the budget refills sooner (registrations here: one every 10 ms); the random source is
 * fixed at its largest draw, so every refusal waits the whole delay.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "server.address=127.0.0.1", "beacon.sweep.interval=1h", "beacon.limits.writes-per-minute=1",
    "beacon.limits.refusal-delay=700ms", "beacon.limits.registrations-per-minute=6000",
    "beacon.limits.registration-burst=1"})
class DelayedRefusalHttpIT {

    /** The largest draw of the random source: every refusal waits the whole delay (between half and all). */
    @TestConfiguration(proxyBeanMethods = false)
    static class LongestHold {
        @Bean
        @Primary
        RandomGenerator longestHold() {
            return () -> -1L;
        }
    }

    private static final String REPORT = "{\"name\":\"none\",\"id\":\"10.0.0.1:80\",\"outcome\":\"success\"}";

    @LocalServerPort
    int port;

    @Test
    void aRefusalWaitsForTheDelay() throws Exception {
        Http http = new Http(port);
        assertThat(http.post("/report", REPORT).statusCode()).isNotEqualTo(429);

        long start = System.nanoTime();
        HttpResponse<String> refused = http.post("/report", REPORT);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(elapsedMillis).as("answered after the delay").isGreaterThanOrEqualTo(650);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(Http.json(refused).get("limit").asString()).isEqualTo("writes-per-minute");

        List<CompletableFuture<Integer>> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(CompletableFuture.supplyAsync(() -> new Http(port).post("/report", REPORT).statusCode()));
        }
        for (CompletableFuture<Integer> answer : many) {
            assertThat(answer.get(20, TimeUnit.SECONDS)).isEqualTo(429);
        }
        assertThat(http.get("/actuator/prometheus").body())
                .contains("beacon_limit_rejections_total{limit=\"writes-per-minute\"} 101.0");
    }

    @Test
    void aRefusalWaitsTheWholeDelayEvenWhenTheBudgetRefillsSooner() throws Exception {
        List<CompletableFuture<long[]>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String body = "{\"name\":\"burst\",\"id\":\"b-" + i + "\",\"address\":\"10.0.0.1\",\"port\":80}";
            answers.add(CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                int status = new Http(port).post("/register", body).statusCode();
                return new long[] {status, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)};
            }));
        }
        int refused = 0;
        for (CompletableFuture<long[]> answer : answers) {
            long[] a = answer.get(20, TimeUnit.SECONDS);
            assertThat(a[0]).isIn(201L, 429L);
            if (a[0] == 429) {
                refused++;
                assertThat(a[1]).as("a refusal answered after the whole delay").isGreaterThanOrEqualTo(650);
            }
        }
        assertThat(refused).as("20 registrations at once against a burst of 1").isPositive();
    }
}
