package io.beacon.outlier;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * {@code POST /report} answers carry {@code X-Beacon-Index}: one value per reported service, in the
 * order the services first appear in the body, each the service's index after the reports.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
class ReportIndexHttpIT {

    @LocalServerPort
    int port;

    private static long register(Http http, String service, String id) {
        HttpResponse<String> r = http.post("/register",
                "{\"name\":\"" + service + "\",\"address\":\"10.0.0.1\",\"port\":8080,\"id\":\"" + id + "\"}");
        assertThat(r.statusCode()).isBetween(200, 201);
        return Long.parseLong(r.headers().firstValue("X-Beacon-Index").orElseThrow());
    }

    private static String index(Http http, String service) {
        return http.get("/discover?name=" + service).headers().firstValue("X-Beacon-Index").orElseThrow();
    }

    @Test
    void aReportOnOneServiceCarriesThatServicesIndex() {
        Http http = new Http(port);
        long index = register(http, "rep-one", "a");
        HttpResponse<String> r = http.post("/report", "{\"name\":\"rep-one\",\"id\":\"a\",\"outcome\":\"success\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().allValues("X-Beacon-Index")).containsExactly(Long.toString(index));
    }

    @Test
    void aReportOnSeveralServicesCarriesEachIndexInTheOrderTheServicesFirstAppear() {
        Http http = new Http(port);
        register(http, "rep-b", "b1");
        register(http, "rep-b", "b2");
        register(http, "rep-a", "a1");
        HttpResponse<String> r = http.post("/report", "[{\"name\":\"rep-b\",\"id\":\"b1\",\"outcome\":\"failure\"},"
                + "{\"name\":\"rep-a\",\"id\":\"a1\",\"outcome\":\"success\"},"
                + "{\"name\":\"rep-b\",\"id\":\"b2\",\"outcome\":\"success\"}]");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().allValues("X-Beacon-Index")).containsExactly(index(http, "rep-b"), index(http, "rep-a"));
        assertThat(index(http, "rep-b")).isNotEqualTo(index(http, "rep-a"));
    }
}
