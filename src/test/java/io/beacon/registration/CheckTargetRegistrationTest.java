package io.beacon.registration;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.metrics.RegistryMetrics;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.Registry;
import io.beacon.support.BeaconWebMvcTest;
import io.beacon.web.StrictJsonConfiguration;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Check targets over HTTP: a check aimed at another host or at a link-local or metadata address is a 400
 * problem naming the field, and the instance (and any earlier registration under its id) is left as it was.
 */
@BeaconWebMvcTest(RegistrationController.class)
@Import({RegistrationService.class, RegistrationValidator.class, StrictJsonConfiguration.class,
        CheckTargetRegistrationTest.Beans.class})
class CheckTargetRegistrationTest {

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

    @BeforeEach
    void empty() {
        registry.services().forEach(s -> s.instances().forEach(i -> registry.deregister(i.key())));
    }

    @Test
    void theIssuesPortScanIsRefusedAndTheInstanceKeepsItsCheck() throws Exception {
        mvc.perform(post("/register").contentType(MediaType.APPLICATION_JSON).content("""
                {"name":"orders","id":"o-1","address":"10.9.9.9","port":8080,"check":{"http":"http://10.9.9.9:8080/health"}}"""))
                .andExpect(status().isCreated());
        mvc.perform(post("/register").contentType(MediaType.APPLICATION_JSON).content("""
                {"name":"orders","id":"o-1","address":"10.9.9.9","port":8080,"check":{"http":"http://127.0.0.1:18999/internal/admin"}}"""))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("check.http")))
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("own address '10.9.9.9'")));
        assertThat(registry.get(InstanceKey.of("orders", "o-1")).orElseThrow().check().target())
                .isEqualTo("http://10.9.9.9:8080/health");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"http\":\"http://169.254.169.254/latest/meta-data/\" | check.http | link-local or cloud metadata",
            "\"http\":\"http://[::ffff:169.254.169.254]/\"         | check.http | link-local or cloud metadata",
            "\"tcp\":\"[fd00:ec2::254]:80\"                       | check.tcp  | link-local or cloud metadata",
            "\"http\":\"http://0xa9fea9fe/\"                        | check.http | four decimal numbers"})
    void metadataAndAmbiguousTargetsAreRefusedNamingTheField(String check, String field, String reason) throws Exception {
        mvc.perform(post("/register").contentType(MediaType.APPLICATION_JSON).content(
                "{\"name\":\"orders\",\"id\":\"o-2\",\"address\":\"169.254.169.254\",\"port\":80,\"check\":{" + check + "}}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(Matchers.containsString(field)))
                .andExpect(jsonPath("$.detail").value(Matchers.containsString(reason)));
        assertThat(registry.get(InstanceKey.of("orders", "o-2"))).isEmpty();
    }
}
