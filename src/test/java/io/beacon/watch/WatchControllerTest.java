package io.beacon.watch;

import io.beacon.support.BeaconWebMvcTest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.beacon.registry.RegistryListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parameter validation of {@code GET /watch} without a server: every rejected request is a 400 problem
 * naming the parameter or header, and no stream is subscribed. Open streams need real non-blocking writes,
 * which MockMvc does not offer (see StreamHttpIT).
 */
@BeaconWebMvcTest(WatchController.class)
@Import(WatchControllerTest.Hub.class)
class WatchControllerTest {

    static final String NAME_RULE = "must be 1 to 253 characters of letters, digits, '.', '_' or '-'";

    @Autowired
    MockMvcTester mvc;
    @Autowired
    JsonMapper json;
    @Autowired
    WatchHub hub;

    /** The hub, mocked; it is also a registry listener, so it names its phase as the real one does. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Hub {
        @Bean
        WatchHub watchHub() {
            WatchHub hub = mock(WatchHub.class);
            when(hub.phase()).thenReturn(RegistryListener.Phase.BEST_EFFORT);
            return hub;
        }

        @Bean
        WatcherSlots watcherSlots() {
            return new WatcherSlots(new WatcherLimits(10, 10), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        }
    }

    @AfterEach
    void nothingSubscribed() {
        verify(hub, never()).subscribe(any(), any());
    }

    private JsonNode rejected(MvcTestResult result) {
        assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = json.readTree(result.getResponse().getContentAsByteArray());
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("title").asString()).isEqualTo("Invalid request");
        assertThat(problem.get("instance").asString()).isEqualTo("/watch");
        assertThat(problem.toString()).doesNotContain("Exception", "io.beacon", "java.");
        return problem;
    }

    private JsonNode rejected(String query) {
        return rejected(mvc.get().uri("/watch" + query).accept(MediaType.TEXT_EVENT_STREAM).exchange());
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    @Test
    void unknownParameterIsNamed() {
        JsonNode problem = rejected("?nme=x");
        assertThat(problem.get("detail").asString()).isEqualTo("Invalid 'nme': is not a known parameter; allowed: name");
        assertThat(fields(problem)).containsExactly("nme");
    }

    @Test
    void nameIsValidatedAndGivenOnce() {
        JsonNode invalid = rejected(mvc.get().uri("/watch?name={name}", "bad name").exchange());
        assertThat(fields(invalid)).containsExactly("name");
        assertThat(invalid.at("/errors/0/message").asString()).isEqualTo(NAME_RULE);
        assertThat(rejected("?name=a&name=b").at("/errors/0/message").asString()).isEqualTo("may be given once");
        assertThat(fields(rejected("?name="))).containsExactly("name");
    }

    @Test
    void lastEventIdMustBeANumber() {
        JsonNode problem = rejected(mvc.get().uri("/watch?name=orders").header("Last-Event-ID", "yesterday").exchange());
        assertThat(problem.get("detail").asString())
                .isEqualTo("Invalid 'Last-Event-ID': must be the id of an event this stream sent (a number)");
        assertThat(fields(problem)).containsExactly("Last-Event-ID");
    }

    @Test
    void everyViolationIsListedAtOnce() {
        JsonNode problem = rejected(mvc.get().uri("/watch?service=orders&name={name}", "bad name")
                .header("Last-Event-ID", "x").exchange());
        assertThat(problem.get("detail").asString()).isEqualTo("3 fields are invalid; see 'errors'.");
        assertThat(fields(problem)).containsExactlyInAnyOrder("service", "name", "Last-Event-ID");
    }
}
