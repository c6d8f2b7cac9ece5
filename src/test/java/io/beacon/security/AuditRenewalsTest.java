package io.beacon.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

@ExtendWith(OutputCaptureExtension.class)
class AuditRenewalsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void allowedRenewalsAreLeftOutUnlessAsked(CapturedOutput output) throws Exception {
        AuditLog quiet = new AuditLog(CLOCK, false);
        run(quiet, "PUT", "/heartbeat/orders/o-1", 200);
        run(quiet, "PUT", "/eureka/apps/ORDERS/o-2", 200);
        assertThat(output.getAll()).doesNotContain("beacon.audit");

        run(quiet, "PUT", "/heartbeat/orders/o-3", 404);
        run(quiet, "PUT", "/heartbeat/payments/p-1", 403);
        run(quiet, "POST", "/register", 201);
        assertThat(output.getAll()).contains("\"instance\":\"o-3\"", "\"status\":404", "\"instance\":\"p-1\"",
                "\"status\":403", "\"action\":\"register\"", "\"status\":201");

        AuditLog full = new AuditLog(CLOCK, true);
        run(full, "PUT", "/heartbeat/orders/o-4", 200);
        run(full, "PUT", "/eureka/apps/ORDERS/o-5", 200);
        assertThat(output.getAll()).contains("\"action\":\"heartbeat\"", "\"instance\":\"o-4\"",
                "\"action\":\"eureka.renew\"", "\"instance\":\"o-5\"");
    }

    @Test
    void readsAreNeverAudited(CapturedOutput output) throws Exception {
        run(new AuditLog(CLOCK, true), "GET", "/discover", 200);
        assertThat(output.getAll()).doesNotContain("beacon.audit");
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
