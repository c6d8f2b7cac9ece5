package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Beacon's one duration syntax: a whole number and a unit, shown back in the same short form. */
class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "10s, PT10S", "2m, PT2M", "1h, PT1H", "0s, PT0S", "1500ms, PT1.5S"})
    void parsesAnAmountWithAUnit(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "0", "1.5", "-3"})
    void rejectsABareNumberSayingItHasNoUnit(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' has no unit; use for example 500ms, 10s or 2m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT10S", "10 s", "10S", "1.5s", "-1s", "10sec", "", "s", "1d", "1m30s", "1234567890s"})
    void rejectsAnythingElseAsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(" is not a duration; use for example 500ms, 10s or 2m");
    }

    @ParameterizedTest
    @CsvSource({"PT10S, 10s", "PT0.5S, 500ms", "PT1.5S, 1500ms", "PT2M, 2m", "PT90S, 90s", "PT1H, 1h",
            "PT0S, 0s", "PT61M, 61m"})
    void formatsInTheLargestExactUnit(Duration d, String expected) {
        assertThat(Durations.format(d)).isEqualTo(expected);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }

    @Test
    void checksBoundsAndFallsBackWithAViolation() {
        List<Violation> errors = new ArrayList<>();
        Duration min = Duration.ofMillis(100);
        Duration max = Duration.ofHours(1);

        assertThat(Durations.parse("check.interval", null, Duration.ofSeconds(10), min, max, errors))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("check.interval", "50ms", Duration.ofSeconds(10), min, max, errors))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(errors).containsExactly(new Violation("check.interval", "must be between 100ms and 1h"));
    }
}
