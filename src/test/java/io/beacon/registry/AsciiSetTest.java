package io.beacon.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AsciiSetTest {

    @Test
    void holdsExactlyTheCharactersOfTheSameRegularExpressionClass() {
        for (String spec : new String[] {"A-Za-z0-9._-", "A-Za-z0-9._~:@!$&'()*+,;=-", "A-Za-z0-9._:/-", "0-9.",
                "0-9A-Fa-f:.", "-a"}) {
            AsciiSet set = AsciiSet.of(spec);
            Pattern regex = Pattern.compile("[" + spec + "]");
            for (char c = 0; c < 512; c++) {
                assertThat(set.contains(c)).as("%s contains U+%04X", spec, (int) c)
                        .isEqualTo(regex.matcher(String.valueOf(c)).matches());
            }
        }
    }

    @Test
    void aServiceNameIsValidExactlyWhenItMatchesThePatternTheDocumentsAndBeanValidationUse() {
        for (char c = 0; c < 512; c++) {
            for (int length : new int[] {1, 2, 253, 254}) {
                String name = String.valueOf(c).repeat(length);
                assertThat(ServiceName.isValid(name)).as("U+%04X x %d", (int) c, length)
                        .isEqualTo(name.matches(ServiceName.PATTERN));
            }
        }
        assertThat(ServiceName.isValid("")).isEqualTo("".matches(ServiceName.PATTERN));
    }

    @Test
    void matchesTheWholeTextWithinTheLengths() {
        AsciiSet name = AsciiSet.of("a-z-");
        assertThat(name.matches("orders-v2", 1, 10)).isFalse();
        assertThat(name.matches("orders-x", 1, 10)).isTrue();
        assertThat(name.matches("", 1, 10)).isFalse();
        assertThat(name.matches("", 0, 10)).isTrue();
        assertThat(name.matches("a".repeat(11), 1, 10)).isFalse();
        assertThat(name.matches("ordérs", 1, 10)).isFalse();
        assertThat(name.matches("orders\n", 1, 10)).isFalse();
    }

    @Test
    void refusesWhatIsNotAnAsciiRange() {
        assertThatThrownBy(() -> AsciiSet.of("z-a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AsciiSet.of("a-é")).isInstanceOf(IllegalArgumentException.class);
    }
}
