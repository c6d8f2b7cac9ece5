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
                Arguments.of("empty tag", with(null, null, List.of(""), null, null, null, null), List.of("tags")),
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
        assertThatThrownBy(() -> validator.toInstance(null, NOW))
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
}
