package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared input rules, each with the field name its caller chose. */
class InputRulesTest {

    private static final InputRules.MetadataLimits LIMITS = new InputRules.MetadataLimits(2, 8, 16);

    private final List<Violation> errors = new ArrayList<>();

    @Test
    void names() {
        assertThat(InputRules.name("app", "Orders", errors).value()).isEqualTo("orders");
        assertThat(InputRules.name("app", " ", errors)).isNull();
        assertThat(InputRules.name("app", "or ders", errors)).isNull();
        assertThat(errors).containsExactly(new Violation("app", "is required"),
                new Violation("app", InputRules.NAME_RULE));
    }

    @Test
    void labelsAndIds() {
        assertThat(InputRules.isLabel("eu-west-1a")).isTrue();
        assertThat(InputRules.isLabel("1.4 beta")).isFalse();
        InputRules.label("version", "1.0\n", errors);
        InputRules.id("instanceId", "a/b", errors);
        InputRules.id("instanceId", "10.0.0.5:orders:8080", errors);
        assertThat(errors).extracting(Violation::field).containsExactly("version", "instanceId");
    }

    @Test
    void metadataKeysMayNotHoldControlCharactersWhicheverApiSendsThem() {
        InputRules.metadata("metadata", Map.of("bell\u0007", "x"), LIMITS, errors);
        assertThat(errors).containsExactly(new Violation("metadata",
                "keys must be 1 to 8 characters without control characters"));
    }

    @Test
    void metadataValuesMayHoldLineBreaksAndTabsButNoOtherControlCharacters() {
        InputRules.metadata("metadata", Map.of("k", "1\r\n2\tend"), LIMITS, errors);
        assertThat(errors).isEmpty();
        InputRules.metadata("metadata", Map.of("k", "a\u0001b"), LIMITS, errors);
        InputRules.metadata("metadata", Map.of("k", "nul\u0000"), LIMITS, errors);
        InputRules.metadata("metadata", Map.of("k", "c1\u0085"), LIMITS, errors);
        assertThat(errors).extracting(Violation::field).containsExactly("metadata.k", "metadata.k", "metadata.k");
        assertThat(errors.get(0).message()).isEqualTo(
                "must not contain control characters (tab, line feed and carriage return are allowed)");
    }

    @Test
    void metadataLimitsAndNullValues() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        InputRules.metadata("metadata", nullValue, LIMITS, errors);
        InputRules.metadata("metadata", Map.of("k", "v".repeat(17)), LIMITS, errors);
        InputRules.metadata("metadata", Map.of("a", "1", "b", "2", "c", "3"), LIMITS, errors);
        assertThat(errors).containsExactly(new Violation("metadata.k", "must be a string, not null"),
                new Violation("metadata.k", "is longer than 16 characters"),
                new Violation("metadata", "has 3 entries; at most 2 are allowed"));
    }

    @Test
    void tagsAreNamedByIndex() {
        InputRules.tags("tags", List.of("http", "blue\t"), 4, errors);
        InputRules.tags("tags", List.of("a", "b", "c"), 2, errors);
        assertThat(errors).extracting(Violation::field).containsExactly("tags[1]", "tags");
    }

    @Test
    void hostPortsAndPorts() {
        assertThat(InputRules.isHostPort("10.0.0.5:8080")).isTrue();
        assertThat(InputRules.isHostPort("[::1]:80")).isTrue();
        assertThat(InputRules.isHostPort("10.0.0.5:0")).isFalse();
        assertThat(InputRules.isHostPort("10.0.0.5:+80")).isFalse();
        assertThat(InputRules.isHostPort("10.0.0.5")).isFalse();
        InputRules.port("port", 65536, errors);
        InputRules.port("port", null, errors);
        assertThat(errors).containsExactly(new Violation("port", "must be between 1 and 65535"),
                new Violation("port", "is required"));
    }

    @Test
    void quotesForMessagesWithoutControlCharacters() {
        assertThat(InputRules.quote("a\u0000b")).isEqualTo("'a\\u0000b'");
        assertThat(InputRules.quote("x".repeat(70))).isEqualTo("'" + "x".repeat(64) + "...'");
    }
}
