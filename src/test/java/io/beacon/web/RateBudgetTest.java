package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which budget each request spends, native and Eureka alike. */
class RateBudgetTest {

    @ParameterizedTest
    @CsvSource({
        "POST, /register, REGISTRATIONS",
        "POST, /eureka/apps/ORDERS, REGISTRATIONS",
        "POST, /eureka/apps/ORDERS/, REGISTRATIONS",
        "PUT, /heartbeat/orders/10.0.0.5:8080, HEARTBEATS",
        "PUT, /eureka/apps/ORDERS/10.0.0.5:orders:8080, HEARTBEATS",
        "PUT, /eureka/apps/ORDERS/10.0.0.5:orders:8080/status, WRITES",
        "DELETE, /eureka/apps/ORDERS/10.0.0.5:orders:8080/status, WRITES",
        "PUT, /eureka/apps/ORDERS/10.0.0.5:orders:8080/metadata, WRITES",
        "DELETE, /eureka/apps/ORDERS/10.0.0.5:orders:8080, WRITES",
        "DELETE, /deregister/orders/a, WRITES",
        "POST, /report, WRITES",
        "PUT, /services/orders/policy, WRITES",
        "DELETE, /services/orders/policy, WRITES",
        "PUT, /services/orders/instances/a/status, WRITES",
        "POST, /heartbeat/orders/a, WRITES",
        "PATCH, /register, WRITES",
        "GET, /discover, READS",
        "GET, /watch, READS",
        "GET, /eureka/apps, READS",
        "GET, /prometheus/targets, READS",
        "HEAD, /services, READS",
        "GET, /v3/api-docs, READS"})
    void classifiesByMethodAndPath(String method, String path, RateBudget expected) {
        assertThat(RateBudget.of(method, path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"GET, /actuator/health/liveness", "GET, /actuator/prometheus", "GET, /actuator"})
    void actuatorSpendsNothing(String method, String path) {
        assertThat(RateBudget.of(method, path)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"REGISTRATIONS, registrations-per-minute", "WRITES, writes-per-minute",
        "READS, reads-per-minute", "HEARTBEATS, heartbeats-per-minute"})
    void limitNamesAreThePropertyNames(RateBudget budget, String limit) {
        assertThat(budget.limit()).isEqualTo(limit);
        assertThat(LimitRejections.LIMITS).contains(limit);
    }
}
