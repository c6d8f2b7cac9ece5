package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bounds on refusals waiting for their delayed 429: per client, in all, and the places given back. */
class DelayedRefusalsTest {

    @Test
    void perClientAndTotalBounds() {
        DelayedRefusals refusals = new DelayedRefusals(2, 3);
        assertThat(refusals.hold("a")).isTrue();
        assertThat(refusals.hold("a")).isTrue();
        assertThat(refusals.hold("a")).as("third of one client").isFalse();
        assertThat(refusals.hold("b")).isTrue();
        assertThat(refusals.hold("c")).as("fourth in all").isFalse();
        assertThat(refusals.held()).isEqualTo(3);

        refusals.release("a");
        assertThat(refusals.held()).isEqualTo(2);
        assertThat(refusals.hold("c")).isTrue();
        assertThat(refusals.hold("a")).as("the total is reached again").isFalse();
        refusals.release("b");
        assertThat(refusals.hold("a")).isTrue();
        assertThat(refusals.hold("a")).as("a holds two again").isFalse();
    }

    @Test
    void defaults() {
        DelayedRefusals refusals = new DelayedRefusals();
        for (int i = 0; i < DelayedRefusals.PER_CLIENT; i++) {
            assertThat(refusals.hold("10.0.0.1")).isTrue();
        }
        assertThat(refusals.hold("10.0.0.1")).isFalse();
        assertThat(refusals.held()).isEqualTo(64);
    }

    @Test
    void theBodyIsTheProblemOfTheOtherAnswers() {
        byte[] body = RateLimitValve.body(RateBudget.REGISTRATIONS, 5, "10.0.0.\"1", 12, "/register");
        assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"about:blank\","
                + "\"title\":\"Too many requests\",\"status\":429,\"detail\":\"Rate limit 'registrations' of 5 per "
                + "minute for 10.0.0.\\\"1 exceeded; retry after 12 s (beacon.limits.registrations-per-minute).\","
                + "\"instance\":\"/register\",\"limit\":\"registrations-per-minute\",\"value\":5,\"retryAfter\":12}");
    }
}
