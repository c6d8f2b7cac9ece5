package io.beacon.registration;

import io.beacon.web.InvalidRequestException;
import io.beacon.web.Violation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.beacon.registry.CheckSpec;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceStatus;
import io.beacon.support.TestInstances;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The registration rules as a table: each bad request and the field it is rejected for. */
class RegistrationValidatorTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final RegistrationValidator validator = TestInstances.validator();

    private static RegistrationRequest req(String name, String address, Integer port) {
        return new RegistrationRequest(name, address, port, null, null, null, null, null, null, null, null);
    }

    private static RegistrationRequest with(String id, Map<String, String> metadata, List<String> tags,
            String zone, String version, Integer weight, Integer leaseSeconds) {
        return new RegistrationRequest("orders", "10.0.0.1", 8080, id, metadata, tags, zone, version, weight,
                leaseSeconds, null);
    }

    private static RegistrationRequest withCheck(String http, String tcp, String interval, String timeout) {
        return new RegistrationRequest("orders", "10.0.0.1", 8080, null, null, null, null, null, null, null,
                new RegistrationRequest.CheckRequest(http, tcp, interval, timeout, null, null));
    }

    private static Map<String, String> entries(int n) {
        Map<String, String> map = new HashMap<>();
        IntStream.range(0, n).forEach(i -> map.put("k" + i, "v"));
        return map;
    }

    static Stream<Arguments> invalid() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        return Stream.of(
                Arguments.of("missing name", req(null, "10.0.0.1", 80), List.of("name")),
                Arguments.of("blank name", req("  ", "10.0.0.1", 80), List.of("name")),
                Arguments.of("name with a space", req("my service", "10.0.0.1", 80), List.of("name")),
                Arguments.of("cyrillic look-alike", req("\u043erders", "10.0.0.1", 80), List.of("name")),
                Arguments.of("zero-width space", req("ord\u200bers", "10.0.0.1", 80), List.of("name")),
                Arguments.of("254 characters", req("a".repeat(254), "10.0.0.1", 80), List.of("name")),
                Arguments.of("missing address", req("orders", null, 80), List.of("address")),
                Arguments.of("bad address", req("orders", "10.0.0.256", 80), List.of("address")),
                Arguments.of("missing port", req("orders", "10.0.0.1", null), List.of("port")),
                Arguments.of("port 0", req("orders", "10.0.0.1", 0), List.of("port")),
                Arguments.of("port 65536", req("orders", "10.0.0.1", 65536), List.of("port")),
                Arguments.of("everything missing", req(null, null, null), List.of("name", "address", "port")),
                Arguments.of("id with a slash", with("a/b", null, null, null, null, null, null), List.of("id")),
                Arguments.of("257-char id", with("i".repeat(257), null, null, null, null, null, null), List.of("id")),
                Arguments.of("65 metadata entries", with(null, entries(65), null, null, null, null, null),
                        List.of("metadata")),
                Arguments.of("129-char key", with(null, Map.of("k".repeat(129), "v"), null, null, null, null, null),
                        List.of("metadata")),
                Arguments.of("1025-char value", with(null, Map.of("k", "v".repeat(1025)), null, null, null, null,
                        null), List.of("metadata.k")),
                Arguments.of("null value", with(null, nullValue, null, null, null, null, null), List.of("metadata.k")),
                Arguments.of("33 tags", with(null, null, IntStream.range(0, 33).mapToObj(i -> "t" + i).toList(),
                        null, null, null, null), List.of("tags")),
                Arguments.of("empty tag", with(null, null, List.of(""), null, null, null, null), List.of("tags[0]")),
                Arguments.of("tag with a newline", with(null, null, List.of("a", "b\n"), null, null, null, null),
                        List.of("tags[1]")),
                Arguments.of("metadata key with a control character", with(null, Map.of("k\u0007", "v"), null, null,
                        null, null, null), List.of("metadata")),
                Arguments.of("metadata version that is not a label", with(null, Map.of("version", "1.0 beta"), null,
                        null, null, null, null), List.of("metadata.version")),
                Arguments.of("metadata zone that is not a label", with(null, Map.of("zone", "eu west"), null, null,
                        null, null, null), List.of("metadata.zone")),
                Arguments.of("check interval without a unit", withCheck("http://10.0.0.1/h", null, "30", null),
                        List.of("check.interval")),
                Arguments.of("check timeout in ISO-8601", withCheck("http://10.0.0.1/h", null, null, "PT2S"),
                        List.of("check.timeout")),
                Arguments.of("check interval under 100ms", withCheck("http://10.0.0.1/h", null, "50ms", null),
                        List.of("check.interval")),
                Arguments.of("check interval over 1h", withCheck("http://10.0.0.1/h", null, "61m", null),
                        List.of("check.interval")),
                Arguments.of("check with http and tcp", withCheck("http://10.0.0.1/h", "10.0.0.1:80", null, null),
                        List.of("check")),
                Arguments.of("check tcp without a port", withCheck(null, "10.0.0.1", null, null),
                        List.of("check.tcp")),
                Arguments.of("check http not a URL", withCheck("10.0.0.1/health", null, null, null),
                        List.of("check.http")),
                Arguments.of("zone with a space", with(null, null, null, "eu west", null, null, null),
                        List.of("zone")),
                Arguments.of("version with a newline", with(null, null, null, null, "1.0\n", null, null),
                        List.of("version")),
                Arguments.of("weight 0", with(null, null, null, null, null, 0, null), List.of("weight")),
                Arguments.of("weight 1001", with(null, null, null, null, null, 1001, null), List.of("weight")),
                Arguments.of("lease 4 s", with(null, null, null, null, null, null, 4), List.of("leaseSeconds")),
                Arguments.of("lease 3601 s", with(null, null, null, null, null, null, 3601), List.of("leaseSeconds")),
                Arguments.of("negative lease", with(null, null, null, null, null, null, -30), List.of("leaseSeconds")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejects(String description, RegistrationRequest request, List<String> fields) {
        assertThatThrownBy(() -> validator.toInstance(request, NOW))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field).containsExactlyInAnyOrderElementsOf(fields));
    }

    @Test
    void rejectsAMissingBody() {
        assertThatThrownBy(() -> validator.toInstance((RegistrationRequest) null, NOW))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.violations()).extracting(Violation::field).containsExactly("body"));
    }

    @Test
    void acceptsTheLimitsExactly() {
        Map<String, String> metadata = entries(63);
        metadata.put("k".repeat(128), "v".repeat(1024));
        RegistrationRequest request = new RegistrationRequest("A".repeat(253), "10.0.0.1", 65535, null, metadata,
                IntStream.range(0, 32).mapToObj(i -> "t" + i).toList(), "eu-west-1a", "1.2.3", 1000, 3600, null);

        Instance i = validator.toInstance(request, NOW);

        assertThat(i.service().value()).isEqualTo("a".repeat(253));
        assertThat(i.id()).isEqualTo("10.0.0.1:65535");
        assertThat(i.metadata()).hasSize(64);
        assertThat(i.tags()).hasSize(32);
        assertThat(i.weight()).isEqualTo(1000);
        assertThat(i.lease().duration()).isEqualTo(Duration.ofHours(1));
        assertThat(i.lease().evictAfter()).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void appliesDefaults() {
        Instance i = validator.toInstance(req("Orders", "orders.local", 1), NOW);

        assertThat(i.service().value()).isEqualTo("orders");
        assertThat(i.id()).isEqualTo("orders.local:1");
        assertThat(i.weight()).isEqualTo(100);
        assertThat(i.status()).isEqualTo(InstanceStatus.UP);
        assertThat(i.lease()).isEqualTo(io.beacon.registry.Lease.start(NOW, Duration.ofSeconds(30),
                Duration.ofSeconds(90)));
        assertThat(i.metadata()).isEmpty();
        assertThat(i.tags()).isEmpty();
        assertThat(i.check()).isNull();
    }

    @Test
    void reportsEveryViolationAtOnce() {
        RegistrationRequest request = new RegistrationRequest("bad name", "", 0, null, null, null, null, null, 0,
                1, null);
        assertThatThrownBy(() -> validator.toInstance(request, NOW))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.violations()).extracting(Violation::field)
                            .containsExactly("name", "address", "port", "weight", "leaseSeconds");
                    assertThat(e.getMessage()).isEqualTo("5 fields are invalid; see 'errors'.");
                });
    }

    @Test
    void buildsAnActiveCheck() {
        RegistrationRequest request = new RegistrationRequest("orders", "10.0.0.1", 8080, null, null, null, null,
                null, null, null, new RegistrationRequest.CheckRequest("http://10.0.0.1:8080/health", null, "5s",
                        "500ms", null, null));
        CheckSpec check = validator.toInstance(request, NOW).check();
        assertThat(check).isEqualTo(new CheckSpec(CheckSpec.Type.HTTP, "http://10.0.0.1:8080/health",
                Duration.ofSeconds(5), Duration.ofMillis(500), 3, 1));
    }

    @Test
    void explainsADurationWithoutAUnit() {
        assertThatThrownBy(() -> validator.toInstance(withCheck("http://10.0.0.1/h", null, "30", null), NOW))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("Invalid 'check.interval': '30' has no unit; use for example 500ms, 10s or 2m"));
    }

    @Test
    void takesVersionAndZoneFromTheMetadataWhenTheFieldsAreAbsent() {
        Instance i = validator.toInstance(with(null, Map.of("version", "v1", "zone", "eu-1"), null, null, null,
                null, null), NOW);

        assertThat(i.version()).isEqualTo("v1");
        assertThat(i.zone()).isEqualTo("eu-1");
        assertThat(i.metadata()).as("kept as sent").containsOnly(Map.entry("version", "v1"), Map.entry("zone", "eu-1"));
    }

    @Test
    void theFieldsWinOverTheMetadata() {
        Instance i = validator.toInstance(with(null, Map.of("version", "not a label", "zone", "eu-1"), null,
                "eu-2", "2.0", null, null), NOW);

        assertThat(i.version()).isEqualTo("2.0");
        assertThat(i.zone()).isEqualTo("eu-2");
        assertThat(i.metadata()).containsEntry("version", "not a label");
    }

    @Test
    void aDraftNamesViolationsAsItsProtocolDoes() {
        InstanceDraft draft = new InstanceDraft("ORDERS", "10.0.0.300", 0, "a/b", Map.of(), null, null, null, null,
                60, null, InstanceStatus.STARTING, null, Map.of(), Map.of("name", "app", "address", "ipAddr",
                        "port", "port.$", "id", "instanceId"));

        assertThatThrownBy(() -> validator.toInstance(draft, NOW))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field).containsExactly("ipAddr", "port.$", "instanceId"));
    }

    @Test
    void aDraftCarriesItsReportedStatusOverrideAndAttributes() {
        InstanceDraft draft = new InstanceDraft("ORDERS", "10.0.0.5", 8080, "10.0.0.5:orders:8080",
                Map.of("version", "1.4.2"), null, null, null, null, 90, null, InstanceStatus.STARTING,
                InstanceStatus.OUT_OF_SERVICE, Map.of("eureka.hostName", "orders-1"), null);

        Instance i = validator.toInstance(draft, NOW);

        assertThat(i.service().value()).isEqualTo("orders");
        assertThat(i.version()).isEqualTo("1.4.2");
        assertThat(i.state().reported()).isEqualTo(InstanceStatus.STARTING);
        assertThat(i.state().override()).isEqualTo(InstanceStatus.OUT_OF_SERVICE);
        assertThat(i.status()).isEqualTo(InstanceStatus.OUT_OF_SERVICE);
        assertThat(i.attributes()).containsEntry("eureka.hostName", "orders-1");
        assertThat(i.lease().duration()).isEqualTo(Duration.ofSeconds(90));
    }
}
