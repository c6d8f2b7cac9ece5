package io.beacon.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.balance.Strategy;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The policy accepts exactly the strategies {@code /discover/one} implements. */
class StrategyNamesTest {

    @Test
    void policyStrategiesMatchTheBalancers() {
        assertThat(PolicyValidator.STRATEGIES)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Strategy.values()).map(Strategy::apiName).toList());
    }
}
