package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code beacon.limits.max-metadata-bytes}: keys and values in UTF-8, added up; the boundary exactly. */
class MetadataBytesTest {

    private static final InputRules.MetadataLimits LIMITS = new InputRules.MetadataLimits(64, 128, 1024, 100);

    private static List<Violation> check(Map<String, String> metadata) {
        List<Violation> errors = new ArrayList<>();
        InputRules.metadata("metadata", metadata, LIMITS, errors);
        return errors;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "é", "€", "😀", "a😀é€", "\ud800", "x\udc00y"})
    void countsUtf8LikeTheEncoder(String s) {
        assertThat(InputRules.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void theLastAcceptedAndTheFirstRefused() {
        // key 10 bytes + value 90 bytes = 100
        assertThat(check(Map.of("k".repeat(10), "v".repeat(90)))).isEmpty();

        List<Violation> errors = check(Map.of("k".repeat(10), "v".repeat(89) + "é"));
        assertThat(errors).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("metadata");
            assertThat(v.message()).isEqualTo("has 101 bytes of keys and values (UTF-8); at most 100 are allowed "
                    + "(beacon.limits.max-metadata-bytes)");
        });
    }

    @Test
    void addsUpEveryEntry() {
        assertThat(InputRules.metadataBytes(Map.of("a", "bc", "dé", "€"))).isEqualTo(1 + 2 + 3 + 3);
        assertThat(InputRules.metadataBytes(null)).isZero();
        assertThat(check(Map.of("a".repeat(50), "", "b".repeat(50), ""))).isEmpty();
        assertThat(check(Map.of("a".repeat(50), "", "b".repeat(50), "c"))).hasSize(1);
    }
}
