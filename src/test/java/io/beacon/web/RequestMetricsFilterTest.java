package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerMapping;

/** The lean request timer: Spring Boot's tags, one timer per tag set, asynchronous requests at completion. */
class RequestMetricsFilterTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RequestMetricsFilter filter = new RequestMetricsFilter(meters);

    @Test
    void recordsTheMatchedRouteAndStatusWithBootsTags() throws Exception {
        for (int i = 0; i < 3; i++) {
            MockHttpServletRequest request = new MockHttpServletRequest("PUT", "/heartbeat/orders/10.0.0.5:8080");
            filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
                req.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/heartbeat/{name}/{id}");
                ((HttpServletResponse) res).setStatus(200);
            });
        }
        Timer timer = meters.get(RequestMetricsFilter.NAME).tags("method", "PUT", "uri", "/heartbeat/{name}/{id}",
                "status", "200", "outcome", "SUCCESS", "exception", "none", "error", "none").timer();
        assertThat(timer.count()).isEqualTo(3);
        assertThat(meters.find(RequestMetricsFilter.NAME).timers()).hasSize(1);
    }

    @Test
    void unmatchedRequestsGetSpringsPlaceholders() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("BREW", "/nothing");
        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> ((HttpServletResponse) res).setStatus(404));
        assertThat(meters.get(RequestMetricsFilter.NAME).tags("method", "UNKNOWN", "uri", "NOT_FOUND", "status", "404",
                "outcome", "CLIENT_ERROR").timer().count()).isEqualTo(1);
        assertThat(RequestMetricsFilter.uri("", 200)).isEqualTo("root");
        assertThat(RequestMetricsFilter.uri(null, 302)).isEqualTo("REDIRECTION");
        assertThat(RequestMetricsFilter.uri(null, 405)).isEqualTo("UNKNOWN");
        assertThat(RequestMetricsFilter.outcome(101)).isEqualTo("INFORMATIONAL");
        assertThat(RequestMetricsFilter.outcome(503)).isEqualTo("SERVER_ERROR");
    }

    @Test
    void anEscapingExceptionIsA500NamedByItsClass() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/discover");
        MockHttpServletResponse response = new MockHttpServletResponse();
        assertThatThrownBy(() -> filter.doFilter(request, response, (req, res) -> {
            req.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/discover");
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(meters.get(RequestMetricsFilter.NAME).tags("uri", "/discover", "status", "500", "outcome",
                "SERVER_ERROR", "exception", "IllegalStateException", "error", "IllegalStateException").timer().count())
                .isEqualTo(1);
    }

    @Test
    void anAsynchronousRequestIsRecordedWhenItCompletesWithItsFinalStatus() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/discover");
        request.setAsyncSupported(true);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, (req, res) -> {
            req.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/discover");
            req.startAsync();
        });
        assertThat(meters.find(RequestMetricsFilter.NAME).timers()).as("held, not yet answered").isEmpty();
        response.setStatus(304);
        request.getAsyncContext().complete();
        assertThat(meters.get(RequestMetricsFilter.NAME).tags("uri", "/discover", "status", "304", "outcome",
                "REDIRECTION").timer().count()).isEqualTo(1);
    }
}
