package io.beacon.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Enforced mode with the actuator on a port of its own ({@code management.server.port}), as docs/security.md
 * describes it: the same token rules there (health open, {@code prometheus} with {@code read}, the rest with
 * {@code admin}), the API port's rules unchanged, and no actuator left on the API port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "management.server.port=0", "management.server.address=127.0.0.1",
    "beacon.security.mode=enforced",
    "beacon.security.tokens.root.secret=" + ManagementPortIT.ADMIN,
    "beacon.security.tokens.root.scopes=admin",
    "beacon.security.tokens.reader.secret=" + ManagementPortIT.READ,
    "beacon.security.tokens.reader.scopes=read"})
class ManagementPortIT {

    static final String ADMIN = "admin-secret-for-management-0123";
    static final String READ = "reader-secret-for-management-0123";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int apiPort;

    @LocalManagementPort
    int managementPort;

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theManagementPortKeepsTheActuatorRules() throws Exception {
        assertThat(managementPort).isNotEqualTo(apiPort);
        assertThat(get(managementPort, "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(get(managementPort, "/actuator/health/readiness", null).statusCode()).isEqualTo(200);

        HttpResponse<String> anonymous = get(managementPort, "/actuator/prometheus", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        HttpResponse<String> scrape = get(managementPort, "/actuator/prometheus", READ);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("beacon_auth_denied_total{reason=\"missing\"}");

        HttpResponse<String> info = get(managementPort, "/actuator/info", READ);
        assertThat(info.statusCode()).isEqualTo(403);
        assertThat(info.body()).contains("admin");
        assertThat(get(managementPort, "/actuator/info", ADMIN).statusCode()).isEqualTo(200);
    }

    @Test
    void theApiPortKeepsItsRulesAndNoLongerServesTheActuator() throws Exception {
        assertThat(get(apiPort, "/discover?name=orders", null).statusCode()).isEqualTo(401);
        assertThat(get(apiPort, "/discover?name=orders", READ).statusCode()).isEqualTo(200);
        assertThat(get(apiPort, "/actuator/prometheus", READ).statusCode()).isEqualTo(404);
        assertThat(get(apiPort, "/actuator/health/readiness", null).statusCode()).isEqualTo(404);
    }
}
