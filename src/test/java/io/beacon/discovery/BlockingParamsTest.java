package io.beacon.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.beacon.web.InvalidRequestException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

class BlockingParamsTest {

    private static final Duration DEFAULT = Duration.ofSeconds(30);

    private static MultiValueMap<String, String> params(String... pairs) {
        MultiValueMap<String, String> map = new LinkedMultiValueMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.add(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void readsWaitsInBeaconsDurationSyntax() {
        assertThat(BlockingParams.parse(params("index", "1", "wait", "500ms"), DEFAULT).waitFor())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(BlockingParams.parse(params("index", "1", "wait", "2m"), DEFAULT).waitFor())
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void rejectsABareNumberSayingItHasNoUnit() {
        assertThatThrownBy(() -> BlockingParams.parse(params("index", "1", "wait", "45"), DEFAULT))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.violations()).extracting(v -> v.field()).containsExactly("wait");
                    assertThat(e.violations().get(0).message())
                            .isEqualTo("'45' has no unit; use for example 500ms, 10s or 2m");
                });
    }

    @Test
    void defaultsTheWaitAndReadsTheIndex() {
        BlockingParams p = BlockingParams.parse(params("name", "x", "index", "42"), DEFAULT);
        assertThat(p.index()).isEqualTo(42L);
        assertThat(p.waitFor()).isEqualTo(DEFAULT);
        assertThat(p.blocking()).isTrue();
        assertThat(BlockingParams.parse(params("name", "x"), DEFAULT).blocking()).isFalse();
    }

    @Test
    void capsTheWaitAndAddsAtMostASixteenthOfJitter() {
        BlockingParams p = BlockingParams.parse(params("index", "1", "wait", "10m"), DEFAULT);
        Duration max = Duration.ofMinutes(5);
        assertThat(p.effectiveWait(max, 0.0)).isEqualTo(max);
        assertThat(p.effectiveWait(max, 0.999)).isLessThanOrEqualTo(max.plus(max.dividedBy(16)))
                .isGreaterThan(max.plus(max.dividedBy(17)));
        BlockingParams shortWait = BlockingParams.parse(params("index", "1", "wait", "1600ms"), DEFAULT);
        assertThat(shortWait.effectiveWait(max, 0.5)).isEqualTo(Duration.ofMillis(1650));
    }

    @Test
    void rejectsMalformedValuesNamingTheParameter() {
        assertThatThrownBy(() -> BlockingParams.parse(params("index", "abc"), DEFAULT))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).violations())
                        .extracting(v -> v.field()).containsExactly("index"));
        assertThatThrownBy(() -> BlockingParams.parse(params("index", "-3"), DEFAULT))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("index");
        assertThatThrownBy(() -> BlockingParams.parse(params("index", "1", "wait", "soon"), DEFAULT))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("wait");
        assertThatThrownBy(() -> BlockingParams.parse(params("index", "1", "wait", "0s"), DEFAULT))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("wait");
        assertThatThrownBy(() -> BlockingParams.parse(params("index", "1", "index", "2"), DEFAULT))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("once");
    }
}
