package io.beacon.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.registry.InstanceKey;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ExtendWith(OutputCaptureExtension.class)
class AuditLogTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T06:00:00Z"), ZoneOffset.UTC);
    private final AuditLog audit = new AuditLog(clock, false);

    @AfterEach
    void clear() {
        RequestContextHolder.resetRequestAttributes();
    }

    private static MockHttpServletRequest request(String method, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setRemoteAddr("10.9.9.9");
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        return request;
    }

    @Test
    void aLineIsValidJsonWithEveryFieldEscaped() {
        MockHttpServletRequest request = request("PUT", "/heartbeat/orders/a\"b");
        request.setAttribute(TokenFilter.PRINCIPAL_ATTRIBUTE, "CN=x\\y,O=\"q\"");
        JsonNode line = JsonMapper.shared().readTree(audit.line(request, Endpoint.of(request), 200));
        assertThat(line.get("time").asString()).isEqualTo("2026-12-02T06:00:00Z");
        assertThat(line.get("principal").asString()).isEqualTo("CN=x\\y,O=\"q\"");
        assertThat(line.get("client").asString()).isEqualTo("10.9.9.9");
        assertThat(line.get("action").asString()).isEqualTo("heartbeat");
        assertThat(line.get("instance").asString()).isEqualTo("a\"b");
        assertThat(line.get("status").asInt()).isEqualTo(200);
    }

    @Test
    void aRegistrationNamesItsInstanceAndABatchListsAtMostTwentyInstances() {
        MockHttpServletRequest register = request("POST", "/register");
        AuditLog.noteService(io.beacon.registry.ServiceName.of("orders"));
        AuditLog.noteInstances(List.of(InstanceKey.of("orders", "10.0.0.5:8080")));
        JsonNode one = JsonMapper.shared().readTree(audit.line(register, Endpoint.of(register), 201));
        assertThat(one.get("principal").asString()).isEqualTo("anonymous");
        assertThat(one.get("services").toString()).isEqualTo("[\"orders\"]");
        assertThat(one.get("instance").asString()).isEqualTo("10.0.0.5:8080");
        assertThat(one.has("instances")).isFalse();

        MockHttpServletRequest report = request("POST", "/report");
        AuditLog.noteInstances(IntStream.range(0, 25).mapToObj(i -> InstanceKey.of("payments", "p-" + i)).toList());
        JsonNode batch = JsonMapper.shared().readTree(audit.line(report, Endpoint.of(report), 200));
        assertThat(batch.get("instances").size()).isEqualTo(AuditLog.MAX_INSTANCES);
        assertThat(batch.get("instances").get(0).asString()).isEqualTo("payments/p-0");
        assertThat(batch.get("instancesOmitted").asInt()).isEqualTo(5);
        assertThat(batch.has("instance")).isFalse();
    }

    // the lines may be written by AuditWriter's thread (when a Spring context of this JVM installed it), in
    // order: an absence is asserted once a later line has arrived
    @Test
    void allowedRenewalsAreLeftOutUnlessAsked(CapturedOutput output) throws Exception {
        run(audit, "PUT", "/heartbeat/orders/o-1", 200);
        run(audit, "PUT", "/eureka/apps/ORDERS/o-2", 200);
        run(audit, "PUT", "/heartbeat/orders/o-3", 404);
        run(audit, "PUT", "/heartbeat/payments/p-1", 403);
        run(audit, "POST", "/register", 201);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getAll()).contains(
                "\"instance\":\"o-3\"", "\"status\":404", "\"instance\":\"p-1\"", "\"status\":403",
                "\"action\":\"register\"", "\"status\":201"));
        assertThat(output.getAll()).doesNotContain("/heartbeat/orders/o-1", "/eureka/apps/ORDERS/o-2");

        AuditLog full = new AuditLog(clock, true);
        run(full, "PUT", "/heartbeat/orders/o-4", 200);
        run(full, "PUT", "/eureka/apps/ORDERS/o-5", 200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getAll()).contains(
                "\"action\":\"heartbeat\"", "\"instance\":\"o-4\"", "\"action\":\"eureka.renew\"",
                "\"instance\":\"o-5\""));
    }

    @Test
    void readsAreNeverAudited(CapturedOutput output) throws Exception {
        run(new AuditLog(clock, true), "GET", "/discover", 200);
        run(audit, "POST", "/register", 201);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> assertThat(output.getAll()).contains("\"action\":\"register\""));
        assertThat(output.getAll()).doesNotContain("\"method\":\"GET\"", "/discover");
    }

    private static void run(AuditLog audit, String method, String path, int status) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        audit.doFilter(request, response, new MockFilterChain() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res) {
                ((HttpServletResponse) res).setStatus(status);
            }
        });
    }
}
