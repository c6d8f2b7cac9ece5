package io.beacon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Unknown {@code beacon.*} properties stop start-up with a sentence naming each and the nearest known one. */
class UnknownPropertyCheckTest {

    static final KnownProperties KNOWN = new KnownProperties(Map.of(
            "beacon.lease.duration", "java.time.Duration",
            "beacon.lease.evict-after", "java.time.Duration",
            "beacon.watch.keep-alive", "java.time.Duration",
            "beacon.cluster.members", "java.util.List<java.lang.String>",
            "beacon.routes", "java.util.Map<java.lang.String,java.lang.String>"));

    private static List<String> check(Map<String, Object> properties, Map<String, Object> variables) {
        UnknownPropertyCheck.Findings findings = findings(properties, variables);
        List<String> all = new java.util.ArrayList<>(findings.properties());
        all.addAll(findings.variables());
        return all;
    }

    private static UnknownPropertyCheck.Findings findings(Map<String, Object> properties,
            Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addLast(new MapPropertySource("test", properties));
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        return UnknownPropertyCheck.check(environment, KNOWN);
    }

    @Test
    void everySpellingRelaxedBindingAcceptsIsKnown() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("beacon.lease.duration", "10s");
        properties.put("beacon.lease.evictAfter", "1m");
        properties.put("beacon.lease.evict_after", "1m");
        properties.put("beacon.cluster.members[0]", "10.0.0.1[7800]");
        properties.put("beacon.routes.anything.below", "x");
        properties.put("spring.application.name", "not ours");
        properties.put("beaconx.other", "not ours either");
        Map<String, Object> variables = Map.of("BEACON_WATCH_KEEPALIVE", "5s", "BEACON_WATCH_KEEP_ALIVE", "5s",
                "BEACON_CLUSTER_MEMBERS_0_", "x", "BEACON_ROUTES_FOO", "x", "PATH", "/usr/bin", "BEACONISH", "x");
        assertThat(check(properties, variables)).isEmpty();
    }

    @Test
    void aMisspeltPropertyIsNamedWithItsSourceAndTheNearestKnownOne() {
        assertThat(check(Map.of("beacon.lease.durration", "10s"), Map.of())).containsExactly(
                "Unknown property 'beacon.lease.durration' (from property source 'test'). Did you mean "
                        + "'beacon.lease.duration'?");
    }

    @Test
    void belowAScalarPropertyNothingIsKnownAndAGroupAloneIsNotAProperty() {
        assertThat(check(Map.of("beacon.lease.duration.seconds", "10", "beacon.lease", "30s"), Map.of()))
                .containsExactlyInAnyOrder(
                        "Unknown property 'beacon.lease.duration.seconds' (from property source 'test'). "
                                + "Did you mean 'beacon.lease.duration'?",
                        "Unknown property 'beacon.lease' (from property source 'test'). "
                                + "Did you mean 'beacon.lease.duration'?");
    }

    @Test
    void anEnvironmentVariableThatBindsToNothingIsWarnedAboutButDoesNotStopStartUp() {
        UnknownPropertyCheck.Findings findings = findings(Map.of(), Map.of("BEACON_LEASE_DURRATION", "10s"));
        assertThat(findings.properties()).isEmpty();
        assertThat(findings.variables()).containsExactly(
                "Unknown property 'BEACON_LEASE_DURRATION' (from environment variable). Did you mean "
                        + "'BEACON_LEASE_DURATION' (beacon.lease.duration)?");
    }

    @Test
    void kubernetesServiceLinkVariablesOfAServiceNamedBeaconAreNotProperties() {
        Map<String, Object> links = Map.of("BEACON_PORT", "tcp://10.96.0.12:8080",
                "BEACON_SERVICE_HOST", "10.96.0.12", "BEACON_SERVICE_PORT", "8080",
                "BEACON_SERVICE_PORT_HTTP", "8080", "BEACON_PORT_8080_TCP", "tcp://10.96.0.12:8080",
                "BEACON_PORT_8080_TCP_ADDR", "10.96.0.12", "BEACON_PORT_8080_TCP_PORT", "8080",
                "BEACON_PORT_8080_TCP_PROTO", "tcp", "BEACON_HEADLESS_SERVICE_HOST", "10.96.0.13");
        UnknownPropertyCheck.Findings findings = findings(Map.of(), links);
        assertThat(findings.properties()).isEmpty();
        assertThat(findings.variables()).isEmpty();
    }

    @Test
    void editDistance() {
        assertThat(KnownProperties.distance("durration", "duration")).isEqualTo(1);
        assertThat(KnownProperties.distance("", "abc")).isEqualTo(3);
        assertThat(KnownProperties.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(KNOWN.nearest("beacon.watch.keepalive-interval")).isEqualTo("beacon.watch.keep-alive");
    }

    @Test
    void beaconsOwnMetadataIsOnTheClassPath() {
        KnownProperties beacon = KnownProperties.load(getClass().getClassLoader()).orElseThrow();
        assertThat(beacon.isKnown("beacon.lease.duration")).isTrue();
        assertThat(beacon.isKnown("beacon.watch.keep-alive")).isTrue();
        assertThat(beacon.isKnown("beacon.lease.durration")).isFalse();
    }

    @Test
    void startUpFailsNamingTheMisspeltPropertyAndTheNearestKnownOne() {
        SpringApplicationBuilder app = new SpringApplicationBuilder(BeaconApplication.class)
                .web(WebApplicationType.NONE).properties("beacon.lease.durration=10s", "spring.main.banner-mode=off");
        assertThatThrownBy(app::run).isInstanceOf(UnknownPropertiesException.class)
                .hasMessage("Unknown property 'beacon.lease.durration' (from property source 'defaultProperties'). "
                        + "Did you mean 'beacon.lease.duration'?");
    }
}
