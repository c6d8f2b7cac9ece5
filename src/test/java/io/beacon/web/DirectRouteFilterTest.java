package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Which requests the direct routes answer: the plain form with the pattern's segments exactly; everything
 * else goes on to MVC untouched (the chain is called, the route is not, nothing is written).
 */
class DirectRouteFilterTest {

    /** A route that records what it was given and answers or declines as told. */
    private static final class Recording implements DirectRoute {
        final List<List<String>> calls = new ArrayList<>();
        boolean accept = true;

        @Override
        public String method() {
            return "PUT";
        }

        @Override
        public String pattern() {
            return "/heartbeat/{name}/{id}";
        }

        @Override
        public boolean answer(HttpServletRequest request, HttpServletResponse response, List<String> variables) {
            calls.add(variables);
            if (accept) {
                response.setStatus(200);
            }
            return accept;
        }
    }

    /** A route reading a body, declining it after reading it all. */
    private static final class Reading implements DirectRoute {
        final List<String> bodies = new ArrayList<>();

        @Override
        public String method() {
            return "POST";
        }

        @Override
        public String pattern() {
            return "/register";
        }

        @Override
        public boolean readsBody() {
            return true;
        }

        @Override
        public boolean answer(HttpServletRequest request, HttpServletResponse response, List<String> variables)
                throws java.io.IOException {
            bodies.add(new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            if (bodies.get(bodies.size() - 1).contains("fail")) {
                throw new InvalidRequestException("name", "is wrong");
            }
            return false;
        }
    }

    private final Recording route = new Recording();
    private final Reading reading = new Reading();
    private final List<Exception> resolved = new ArrayList<>();
    private final DirectRouteFilter filter = new DirectRouteFilter(List.of(route, reading), (req, res, handler, e) -> {
        resolved.add(e);
        return new org.springframework.web.servlet.ModelAndView();
    });

    /** True when the request went on to MVC. */
    private boolean passedOn(MockHttpServletRequest request) throws Exception {
        boolean[] chained = {false};
        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> chained[0] = true);
        return chained[0];
    }

    private static MockHttpServletRequest put(String uri, Consumer<MockHttpServletRequest> change) {
        MockHttpServletRequest request = new MockHttpServletRequest("PUT", uri);
        change.accept(request);
        return request;
    }

    @Test
    void aPlainRequestIsAnsweredWithDecodedVariablesAndTheRouteAsItsPattern() throws Exception {
        MockHttpServletRequest request = put("/heartbeat/orders/10.0.0.5%3A8080", r -> { });
        assertThat(passedOn(request)).isFalse();
        assertThat(route.calls).containsExactly(List.of("orders", "10.0.0.5:8080"));
        assertThat(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE))
                .isEqualTo("/heartbeat/{name}/{id}");
        assertThat(passedOn(put("/heartbeat/orders/a", r -> r.addHeader("Accept", "*/*")))).isFalse();
        assertThat(passedOn(put("/heartbeat/orders/a", r -> r.addHeader("Accept", "application/json")))).isFalse();
    }

    @Test
    void aDeclinedRequestGoesOnWithoutThePattern() throws Exception {
        route.accept = false;
        MockHttpServletRequest request = put("/heartbeat/orders/a", r -> { });
        assertThat(passedOn(request)).isTrue();
        assertThat(route.calls).hasSize(1);
        assertThat(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE)).isNull();
    }

    @Test
    void anythingButThePatternsSegmentsExactlyGoesOnWithoutTheRoute() throws Exception {
        for (String uri : List.of("/heartbeat/orders", "/heartbeat/orders/a/b", "/heartbeat/orders/a/",
                "/heartbeat//a", "/heartbeat/orders/", "/heartbeat/orders/a;x=1", "/heartbeat;x/orders/a",
                "/heartbeat/orders/a%2Fb", "/heartbeat/orders/%zz", "/heartbeat/orders/%", "/Heartbeat/orders/a",
                "/heartbeats/orders/a", "heartbeat/orders/a")) {
            assertThat(passedOn(put(uri, r -> { }))).as(uri).isTrue();
        }
        assertThat(route.calls).isEmpty();
    }

    @Test
    void aRequestWithABodyAContentTypeAnOriginOrAnotherAcceptGoesOnWithoutTheRoute() throws Exception {
        List<Consumer<MockHttpServletRequest>> changes = List.of(
                r -> r.setContent("{\"inflight\":3}".getBytes(StandardCharsets.UTF_8)),
                r -> r.setContentType("application/json"),
                r -> r.setContentType("*/*"),
                r -> r.addHeader("Transfer-Encoding", "chunked"),
                r -> r.addHeader("Origin", "https://example.org"),
                r -> r.addHeader("Accept", "text/html"),
                r -> r.addHeader("Accept", "application/xml"),
                r -> r.addHeader("Accept", "application/json;q=0.5, text/html"),
                r -> r.setContextPath("/beacon"));
        for (Consumer<MockHttpServletRequest> change : changes) {
            assertThat(passedOn(put("/heartbeat/orders/a", change))).isTrue();
        }
        MockHttpServletRequest get = new MockHttpServletRequest("GET", "/heartbeat/orders/a");
        assertThat(passedOn(get)).isTrue();
        assertThat(route.calls).isEmpty();
    }

    @Test
    void aBodyARouteDeclinedIsReadAgainByMvcFromItsStart() throws Exception {
        MockHttpServletRequest post = new MockHttpServletRequest("POST", "/register");
        post.setContentType("application/json");
        post.setContent("{\"name\":\"orders\"}".getBytes(StandardCharsets.UTF_8));
        String[] seenByMvc = {null};
        filter.doFilter(post, new MockHttpServletResponse(), (req, res) -> seenByMvc[0] =
                new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertThat(reading.bodies).containsExactly("{\"name\":\"orders\"}");
        assertThat(seenByMvc[0]).isEqualTo("{\"name\":\"orders\"}");
    }

    @Test
    void aBodyIsReadOnlyWhenItIsJsonOfKnownLength() throws Exception {
        List<Consumer<MockHttpServletRequest>> changes = List.of(
                r -> r.setContentType("application/json;charset=UTF-8"),
                r -> r.setContentType("text/plain"),
                r -> r.setContentType(null),
                r -> {
                    r.setContentType("application/json");
                    r.setContent(new byte[0]);
                },
                r -> {
                    r.setContentType("application/json");
                    r.addHeader("Transfer-Encoding", "chunked");
                });
        for (Consumer<MockHttpServletRequest> change : changes) {
            MockHttpServletRequest post = new MockHttpServletRequest("POST", "/register");
            post.setContent("{}".getBytes(StandardCharsets.UTF_8));
            change.accept(post);
            assertThat(passedOn(post)).isTrue();
        }
        assertThat(reading.bodies).isEmpty();
    }

    @Test
    void whatARouteThrowsIsAnsweredByMvcsExceptionHandlers() throws Exception {
        MockHttpServletRequest post = new MockHttpServletRequest("POST", "/register");
        post.setContentType("application/json");
        post.setContent("{\"fail\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(passedOn(post)).isFalse();
        assertThat(resolved).singleElement().isInstanceOf(InvalidRequestException.class);
        assertThat(post.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE)).isEqualTo("/register");
    }
}
