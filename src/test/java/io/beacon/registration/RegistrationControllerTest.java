package io.beacon.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.beacon.metrics.RegistryMetrics;
import io.beacon.registry.InMemoryRegistry;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.support.BeaconWebMvcTest;
import io.beacon.support.MutableClock;
import io.beacon.web.StrictJsonConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The HTTP contract of registration, heartbeat, deregistration and drain, without a server: mapping to
 * the registry, status codes, and the problems a malformed or invalid request gets (strict JSON types
 * named by field, the one duration syntax). Every rejection leaves the registry as it was.
 */
@BeaconWebMvcTest({RegistrationController.class, DrainController.class})
@Import({RegistrationService.class, RegistrationValidator.class, StrictJsonConfiguration.class,
        RegistrationControllerTest.Beans.class})
class RegistrationControllerTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final ServiceName ORDERS = ServiceName.of("orders");
    private static final String VALID = "{\"name\":\"orders\",\"address\":\"10.0.0.5\",\"port\":8080";

    @TestConfiguration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        RegistryMetrics metrics(Registry registry) {
            return new RegistryMetrics(registry);
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    Registry registry;

    @Autowired
    MutableClock clock;

    @BeforeEach
    void empty() {
        clock.set(START);
        registry.services().forEach(s -> s.instances().forEach(i -> registry.deregister(i.key())));
    }

    private ResultActions send(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request);
    }

    private ResultActions register(String body) throws Exception {
        return send(post("/register").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void registersAndAnswersWithTheInstance() throws Exception {
        long index = registry.index(ORDERS);
        register(VALID + ",\"metadata\":{\"version\":\"v1\"},\"check\":{\"http\":\"http://10.0.0.5:8080/health\","
                + "\"interval\":\"10s\",\"timeout\":\"1500ms\"}}")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/services/orders/instances/10.0.0.5:8080"))
                .andExpect(header().string("X-Beacon-Index", Long.toString(index + 1)))
                .andExpect(jsonPath("$.id").value("10.0.0.5:8080"))
                .andExpect(jsonPath("$.version").value("v1"))
                .andExpect(jsonPath("$.metadata.version").value("v1"))
                .andExpect(jsonPath("$.check.interval").value("10s"))
                .andExpect(jsonPath("$.check.timeout").value("1500ms"))
                .andExpect(content().string(containsString("\"last_seen\":1893456000}")));

        Instance stored = registry.get(new InstanceKey(ORDERS, "10.0.0.5:8080")).orElseThrow();
        assertThat(stored.version()).isEqualTo("v1");
        assertThat(stored.check().interval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void showsDefaultCheckDurationsInTheShortFormAndLastSeenWithMilliseconds() throws Exception {
        clock.advance(Duration.ofMillis(540));
        register(VALID + ",\"check\":{\"tcp\":\"10.0.0.5:8080\"}}")
                .andExpect(jsonPath("$.check.interval").value("10s"))
                .andExpect(jsonPath("$.check.timeout").value("2s"))
                .andExpect(content().string(containsString("\"last_seen\":1893456000.54}")));
    }

    @Test
    void reRegisteringIsAnUpdate() throws Exception {
        register(VALID + "}").andExpect(status().isCreated());
        register(VALID + ",\"weight\":7}").andExpect(status().isOk())
                .andExpect(header().doesNotExist("Location"))
                .andExpect(jsonPath("$.weight").value(7));
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("{\"name\":\"orders\",\"address\":\"10.0.0.5\",\"port\":\"80\"}", "port",
                        "must be an integer, not a string"),
                Arguments.of("{\"name\":\"orders\",\"address\":\"10.0.0.5\",\"port\":80.5}", "port",
                        "must be an integer, not a fractional number"),
                Arguments.of("{\"name\":\"orders\",\"address\":\"10.0.0.5\",\"port\":7.1e3}", "port",
                        "must be an integer, not a number with a decimal point or exponent"),
                Arguments.of("{\"name\":12345,\"address\":\"10.0.0.5\",\"port\":80}", "name",
                        "must be a string, not an integer"),
                Arguments.of("{\"name\":true,\"address\":\"10.0.0.5\",\"port\":80}", "name",
                        "must be a string, not a boolean"),
                Arguments.of(VALID + ",\"check\":[]}", "check", "must be an object, not an array"),
                Arguments.of(VALID + ",\"check\":\"http://x\"}", "check", "must be an object, not a string"),
                Arguments.of(VALID + ",\"metadata\":[\"a\"]}", "metadata", "must be an object, not an array"),
                Arguments.of(VALID + ",\"metadata\":{\"version\":1}}", "metadata.version",
                        "must be a string, not an integer"),
                Arguments.of(VALID + ",\"tags\":\"http\"}", "tags", "must be an array, not a string"),
                Arguments.of(VALID + ",\"tags\":[1]}", "tags[0]", "must be a string, not an integer"),
                Arguments.of(VALID + ",\"leaseSeconds\":\"30\"}", "leaseSeconds", "must be an integer, not a string"),
                Arguments.of(VALID + ",\"check\":{\"http\":\"http://x/\",\"interval\":10}}", "check.interval",
                        "must be a string, not an integer"),
                Arguments.of(VALID + ",\"port\":81}", "port", "is given more than once"),
                Arguments.of("{\"name\":\"orders\",\"address\":\"10.0.0.5\",\"port\":4294967297}", "port",
                        "must be an integer between -2147483648 and 2147483647"),
                Arguments.of("[" + VALID + "}]", "body", "must be an object, not an array"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("wrongTypes")
    void aValueOfTheWrongJsonTypeIsA400NamingTheFieldAndTheType(String body, String field, String message)
            throws Exception {
        String detail = field.equals("body") ? "The body " + message + "." : "Field '" + field + "' " + message + ".";
        register(body).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Malformed request body"))
                .andExpect(jsonPath("$.detail").value(detail))
                .andExpect(jsonPath("$.errors[0].field").value(field))
                .andExpect(jsonPath("$.errors[0].message").value(message));
        assertThat(registry.services()).isEmpty();
    }

    @Test
    void aDurationWithoutAUnitIsRejectedSayingSo() throws Exception {
        register(VALID + ",\"check\":{\"http\":\"http://10.0.0.5/h\",\"interval\":\"30\"}}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail")
                        .value("Invalid 'check.interval': '30' has no unit; use for example 500ms, 10s or 2m"))
                .andExpect(jsonPath("$.errors[0].field").value("check.interval"));
        assertThat(registry.services()).isEmpty();
    }

    @Test
    void malformedJsonIsA400WithTheLineAndColumn() throws Exception {
        register("{\"name\":\"orders\",").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("(line 1, column 18)")))
                .andExpect(jsonPath("$.detail").value(not(containsString("Source"))));
        register("").andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail").value("A JSON body is required."));
        register(VALID + "} {}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("The body must be one JSON value; more follows it."));
        assertThat(registry.services()).isEmpty();
    }

    @Test
    void theWrongContentTypeIs415NamingJson() throws Exception {
        for (String type : new String[] {"*/*", "application/*", "text/plain", ";;;"}) {
            send(post("/register").header("Content-Type", type).content(VALID + "}"))
                    .andExpect(status().isUnsupportedMediaType())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.detail").value(containsString("send the body as application/json")));
        }
        assertThat(registry.services()).isEmpty();
    }

    @Test
    void heartbeatsWithAndWithoutABody() throws Exception {
        register(VALID + "}").andExpect(status().isCreated());
        clock.advance(Duration.ofSeconds(5));

        String index = Long.toString(registry.index(ORDERS));
        send(put("/heartbeat/orders/10.0.0.5:8080")).andExpect(status().isOk())
                .andExpect(jsonPath("$.lastHeartbeat").value(clock.instant().toString()))
                .andExpect(header().string("X-Beacon-Index", index));
        send(put("/heartbeat/ORDERS/10.0.0.5:8080").contentType(MediaType.APPLICATION_JSON).content("{\"inflight\":3}"))
                .andExpect(status().isOk());
        assertThat(registry.get(new InstanceKey(ORDERS, "10.0.0.5:8080")).orElseThrow().inflight()).isEqualTo(3);
    }

    @Test
    void aBadHeartbeatBodyIsA400WithoutInternalNames() throws Exception {
        register(VALID + "}").andExpect(status().isCreated());
        Instance before = registry.get(new InstanceKey(ORDERS, "10.0.0.5:8080")).orElseThrow();
        clock.advance(Duration.ofSeconds(5));

        send(put("/heartbeat/orders/10.0.0.5:8080").contentType(MediaType.APPLICATION_JSON).content("123"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("The body must be an object, not an integer."));
        send(put("/heartbeat/orders/10.0.0.5:8080").contentType(MediaType.APPLICATION_JSON).content("{\"inflight\":\"3\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("Field 'inflight' must be an integer, not a string."));
        send(put("/heartbeat/orders/10.0.0.5:8080").contentType(MediaType.APPLICATION_JSON).content("{\"inflight\":-1}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("inflight"));
        send(put("/heartbeat/orders/10.0.0.5:8080").header("Content-Type", "*/*").content("{}"))
                .andExpect(status().isUnsupportedMediaType());

        assertThat(registry.get(new InstanceKey(ORDERS, "10.0.0.5:8080"))).hasValue(before);
    }

    @Test
    void unknownInstancesAndInvalidNamesAreProblems() throws Exception {
        send(put("/heartbeat/orders/nope")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.title").value("Instance not found"));
        send(delete("/deregister/orders/nope")).andExpect(status().isNotFound());
        send(put("/heartbeat/bad name!/x")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Invalid service name"));
        send(post("/registr").contentType(MediaType.APPLICATION_JSON).content(VALID + "}"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("No endpoint POST /registr. See /v3/api-docs for the API."));
    }

    @Test
    void deregisters() throws Exception {
        register(VALID + "}").andExpect(status().isCreated());
        String next = Long.toString(registry.index(ORDERS) + 1);
        send(delete("/deregister/orders/10.0.0.5:8080")).andExpect(status().isNoContent())
                .andExpect(header().string("X-Beacon-Index", next));
        assertThat(registry.get(new InstanceKey(ORDERS, "10.0.0.5:8080"))).isEmpty();
    }

    @Test
    void drainsAndRejectsAStatusOfTheWrongType() throws Exception {
        register(VALID + "}").andExpect(status().isCreated());
        String path = "/services/orders/instances/10.0.0.5:8080/status";

        send(put(path).contentType(MediaType.APPLICATION_JSON).content("{\"status\":5}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("Field 'status' must be a string, not an integer."));
        send(put(path).contentType(MediaType.APPLICATION_JSON).content("{\"status\":[\"UP\"]}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("status"));
        assertThat(registry.get(new InstanceKey(ORDERS, "10.0.0.5:8080")).orElseThrow().status())
                .isEqualTo(InstanceStatus.UP);

        send(put(path).contentType(MediaType.APPLICATION_JSON).content("{\"status\":\"OUT_OF_SERVICE\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("OUT_OF_SERVICE"));
    }
}
