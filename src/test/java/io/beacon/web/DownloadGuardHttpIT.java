package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * Instance URLs end in ids like {@code 10.0.0.5:8080}, which Spring MVC's reflected-file-download guard
 * takes for a file extension: Beacon's JSON answers to them carry no {@code Content-Disposition}, while a
 * non-JSON answer to such a path keeps the guard.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
class DownloadGuardHttpIT {

    @LocalServerPort
    int port;

    @Test
    void jsonAnswersToDottedInstanceUrlsCarryNoContentDisposition() {
        Http http = new Http(port);
        HttpResponse<String> registered = http.post("/register",
                "{\"name\":\"orders\",\"address\":\"10.0.0.5\",\"port\":8080}");
        assertThat(registered.statusCode()).isBetween(200, 201);
        assertThat(Http.json(registered).get("id").asString()).isEqualTo("10.0.0.5:8080");

        HttpResponse<String> heartbeat = http.put("/heartbeat/orders/10.0.0.5:8080", null);
        HttpResponse<String> instance = http.get("/services/orders/instances/10.0.0.5:8080");
        HttpResponse<String> status = http.put("/services/orders/instances/10.0.0.5:8080/status",
                "{\"status\":\"OUT_OF_SERVICE\"}");
        HttpResponse<String> dottedService = http.get("/services/orders.v2");
        for (HttpResponse<String> r : java.util.List.of(heartbeat, instance, status)) {
            assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(r.uri().toString())
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(r.headers().firstValue("Content-Disposition")).as(r.uri().toString()).isEmpty();
        }
        assertThat(dottedService.headers().firstValue("Content-Disposition")).isEmpty();
    }

    @Test
    void theGuardStaysOnAnswersThatAreNotJson() {
        Http http = new Http(port);
        http.post("/register", "{\"name\":\"xml-app\",\"address\":\"10.0.0.6\",\"port\":8080}");
        HttpResponse<String> xml = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(http.base() + "/eureka/apps/xml-app/10.0.0.6:8080"))
                .header("Accept", "application/xml").GET());
        assertThat(xml.statusCode()).isEqualTo(200);
        assertThat(xml.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).contains("xml"));
        assertThat(xml.headers().firstValue("Content-Disposition")).hasValue(DownloadGuardFilter.GUARD);
    }

    @Test
    void onlyJsonMediaTypesCountAsJson() {
        assertThat(DownloadGuardFilter.isJson("application/json")).isTrue();
        assertThat(DownloadGuardFilter.isJson("application/problem+json;charset=UTF-8")).isTrue();
        assertThat(DownloadGuardFilter.isJson("application/xml")).isFalse();
        assertThat(DownloadGuardFilter.isJson("text/plain")).isFalse();
        assertThat(DownloadGuardFilter.isJson(null)).isFalse();
        assertThat(DownloadGuardFilter.isJson("not a type")).isFalse();
    }
}
