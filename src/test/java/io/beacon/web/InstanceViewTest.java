package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** {@code last_seen} is epoch seconds with a millisecond fraction, written as a plain number. */
class InstanceViewTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void lastSeenIsAPlainNumberWithMilliseconds() {
        assertThat(JSON.writeValueAsString(InstanceView.epochSeconds(Instant.ofEpochMilli(1_796_161_148_540L))))
                .isEqualTo("1796161148.54");
        assertThat(JSON.writeValueAsString(InstanceView.epochSeconds(Instant.ofEpochMilli(1_796_161_140_000L))))
                .isEqualTo("1796161140");
        assertThat(JSON.writeValueAsString(InstanceView.epochSeconds(Instant.ofEpochMilli(1_796_161_148_005L))))
                .isEqualTo("1796161148.005");
    }
}
