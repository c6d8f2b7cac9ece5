package io.beacon.eureka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.beacon.metrics.RegistryMetrics;
import io.beacon.registration.InstanceLimits;
import io.beacon.registration.LeaseProperties;
import io.beacon.registration.RegistrationService;
import io.beacon.registration.RegistrationValidator;
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

/**
 * The HTTP contract of Eureka's write API, without a server: a Eureka registration goes through the same
 * registration service and rules as a native one (metadata {@code version}/{@code zone}, metadata checks),
 * with strict JSON types named by Eureka's field names, and every rejection leaves the registry unchanged.
 */
@BeaconWebMvcTest(EurekaWriteController.class)
@Import({EurekaRegistrationReader.class, RegistrationService.class, RegistrationValidator.class,
        StrictJsonConfiguration.class, EurekaWriteControllerTest.Beans.class})
class EurekaWriteControllerTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final String APP = "/eureka/apps/ORDERS";
    private static final String ID = "10.0.0.5:orders:8080";
    private static final InstanceKey KEY = new InstanceKey(ServiceName.of("orders"), ID);
    private static final String BODY = EurekaDocs.REGISTRATION_EXAMPLE;

    @TestConfiguration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        MutableClock clock() {
            return new MutableClock(START);
        }

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

    private ResultActions register(String body) throws Exception {
        return mvc.perform(post(APP).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void registersWithVersionAndZoneFromTheMetadata() throws Exception {
        register(BODY).andExpect(status().isNoContent());

        Instance i = registry.get(KEY).orElseThrow();
        assertThat(i.address()).isEqualTo("10.0.0.5");
        assertThat(i.port()).isEqualTo(8080);
        assertThat(i.version()).isEqualTo("1.4.2");
        assertThat(i.zone()).isEqualTo("eu-west-1a");
        assertThat(i.metadata()).containsEntry("version", "1.4.2").containsEntry("zone", "eu-west-1a");
        assertThat(i.lease().duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(i.attributes()).containsEntry(EurekaMapper.HOST_NAME, "10.0.0.5")
                .containsEntry(EurekaMapper.VIP_ADDRESS, "orders")
                .containsEntry(EurekaMapper.LAST_DIRTY, "1767225600000");
        assertThat(i.status()).isEqualTo(InstanceStatus.UP);
    }

    @Test
    void acceptsEurekasOwnEncodings() throws Exception {
        register(BODY.replace("\"@enabled\":\"true\"", "\"@enabled\":true")
                .replace("\"lastDirtyTimestamp\":\"1767225600000\"", "\"lastDirtyTimestamp\":1767225600000")
                .replace("\"metadata\":{", "\"metadata\":{\"@class\":\"java.util.Collections$EmptyMap\",")
                .replace("\"durationInSecs\":90", "\"durationInSecs\":1"))
                .andExpect(status().isNoContent());

        Instance i = registry.get(KEY).orElseThrow();
        assertThat(i.metadata()).doesNotContainKey("@class");
        assertThat(i.lease().duration()).as("clamped to beacon.lease.min-duration").isEqualTo(Duration.ofSeconds(5));
        assertThat(i.attributes()).containsEntry(EurekaMapper.LAST_DIRTY, "1767225600000");
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of(BODY.replace("\"$\":8080", "\"$\":\"8080\""), "port.$", "must be an integer, not a string"),
                Arguments.of(BODY.replace("\"$\":8080", "\"$\":80.5"), "port.$",
                        "must be an integer, not a fractional number"),
                Arguments.of(BODY.replace("\"hostName\":\"10.0.0.5\"", "\"hostName\":12345"), "hostName",
                        "must be a string, not an integer"),
                Arguments.of(BODY.replace("\"version\":\"1.4.2\"", "\"version\":1.4"), "metadata.version",
                        "must be a string, not a fractional number"),
                Arguments.of(BODY.replace("\"durationInSecs\":90", "\"durationInSecs\":\"90\""),
                        "leaseInfo.durationInSecs", "must be an integer, not a string"),
                Arguments.of(BODY.replace("\"countryId\":1", "\"countryId\":true"), "countryId",
                        "must be an integer, not a boolean"),
                Arguments.of(BODY.replace("\"metadata\":{\"zone\":\"eu-west-1a\",\"version\":\"1.4.2\"}",
                        "\"metadata\":[]"), "metadata", "must be an object, not an array"),
                Arguments.of(BODY.replace("\"@enabled\":\"true\"", "\"@enabled\":1"), "port.@enabled",
                        "must be \"true\" or \"false\", not an integer"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("wrongTypes")
    void aValueOfTheWrongJsonTypeIsA400NamingTheEurekaField(String body, String field, String message)
            throws Exception {
        register(body).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value(field))
                .andExpect(jsonPath("$.errors[0].message").value(message));
        assertThat(registry.services()).isEmpty();
    }

    @Test
    void beaconsRulesApplyWithEurekasFieldNames() throws Exception {
        register(BODY.replace("\"ipAddr\":\"10.0.0.5\"", "\"ipAddr\":\"10.0.0.300\"")
                .replace("\"$\":8080", "\"$\":0").replace("\"version\":\"1.4.2\"", "\"version\":\"1.4 beta\"")
                .replace("\"zone\":\"eu-west-1a\"", "\"zone\":\"eu-west-1a\",\"bell\\u0007\":\"x\""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.containsInAnyOrder(
                        "ipAddr", "port.$", "metadata", "metadata.version")));
        assertThat(registry.services()).isEmpty();
    }

    @Test
    void missingFieldsAreNamed() throws Exception {
        register("{\"instance\":{\"app\":\"ORDERS\",\"hostName\":\"\"}}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.containsInAnyOrder(
                        "hostName", "ipAddr", "dataCenterInfo")));
        register("{\"instance\":").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("body"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("is not valid JSON")));
        register(BODY.replace("\"app\":\"ORDERS\"", "\"app\":\"PAYMENTS\"")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("app"));
        assertThat(registry.services()).isEmpty();
    }

    @Test
    void aWildcardContentTypeIs415() throws Exception {
        mvc.perform(post(APP).header("Content-Type", "application/*").content(BODY))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        assertThat(registry.services()).isEmpty();
    }

    @Test
    void renewsCancelsAndOverrides() throws Exception {
        register(BODY).andExpect(status().isNoContent());
        clock.advance(Duration.ofSeconds(20));

        mvc.perform(put(APP + "/" + ID).param("status", "UP")).andExpect(status().isOk());
        assertThat(registry.get(KEY).orElseThrow().lease().lastRenewedAt()).isEqualTo(clock.instant());
        mvc.perform(put(APP + "/unknown")).andExpect(status().isNotFound());

        mvc.perform(put(APP + "/" + ID + "/status").param("value", "BUSY")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("value"));
        mvc.perform(put(APP + "/" + ID + "/status").param("value", "OUT_OF_SERVICE")).andExpect(status().isOk());
        assertThat(registry.get(KEY).orElseThrow().status()).isEqualTo(InstanceStatus.OUT_OF_SERVICE);

        mvc.perform(delete(APP + "/" + ID)).andExpect(status().isOk());
        assertThat(registry.get(KEY)).isEmpty();
        mvc.perform(delete(APP + "/" + ID)).andExpect(status().isNotFound());
    }

    @Test
    void metadataUpdatesKeepTheMetadataRules() throws Exception {
        register(BODY).andExpect(status().isNoContent());

        mvc.perform(put(APP + "/" + ID + "/metadata").param("bell\u0007", "x")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].message").value(containsString("without control characters")));
        mvc.perform(put(APP + "/" + ID + "/metadata").param("team", "x".repeat(1025)))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("metadata.team"));
        assertThat(registry.get(KEY).orElseThrow().metadata()).doesNotContainKeys("team", "bell\u0007");

        mvc.perform(put(APP + "/" + ID + "/metadata").param("team", "payments")).andExpect(status().isOk());
        assertThat(registry.get(KEY).orElseThrow().metadata()).containsEntry("team", "payments");
    }
}
