package io.beacon.balance;

import static io.beacon.balance.TestInstances.instance;
import static io.beacon.balance.TestInstances.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightedBalancerTest {

    private final Balancer balancer = new WeightedBalancer();

    @Test
    void interleavesLikeNginxSmoothWeightedRoundRobin() {
        Pool pool = pool(1, List.of(instance("a", 5, null, null, 0), instance("b", 1, null, null, 0),
                instance("c", 1, null, null, 0)));
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            picks.add(balancer.pick(pool, null).id());
        }
        assertThat(picks).containsExactly("a", "a", "b", "a", "c", "a", "a", "a", "a", "b", "a", "c", "a", "a");
    }

    @Test
    void proportionsFollowWeightsOver100kPicks() {
        Pool pool = pool(1, List.of(instance("a", 100, null, null, 0), instance("b", 300, null, null, 0),
                instance("c", 600, null, null, 0), instance("d", 7, null, null, 0)));
        Map<String, Integer> counts = new HashMap<>();
        int picks = 100_000;
        for (int i = 0; i < picks; i++) {
            counts.merge(balancer.pick(pool, null).id(), 1, Integer::sum);
        }
        double total = 1007;
        assertThat(counts.get("a") / (double) picks).isCloseTo(100 / total, within(0.02));
        assertThat(counts.get("b") / (double) picks).isCloseTo(300 / total, within(0.02));
        assertThat(counts.get("c") / (double) picks).isCloseTo(600 / total, within(0.02));
        assertThat(counts.get("d") / (double) picks).isCloseTo(7 / total, within(0.02));
        assertThat(counts.get("d")).isBetween(690, 700);
    }

    @Test
    void startsAfreshWhenTheMembersChange() {
        Pool before = pool(1, List.of(instance("a", 3, null, null, 0), instance("b", 1, null, null, 0)));
        balancer.pick(before, null);
        Pool after = pool(2, List.of(instance("b", 1, null, null, 0), instance("c", 1, null, null, 0)));
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            picks.add(balancer.pick(after, null).id());
        }
        assertThat(picks).containsExactly("b", "c", "b", "c");
    }

    @Test
    void keepsItsPlaceWhenOnlyTheGenerationMoves() {
        List<io.beacon.registry.Instance> members = List.of(instance("a", 2, null, null, 0),
                instance("b", 1, null, null, 0));
        assertThat(balancer.pick(pool(1, members), null).id()).isEqualTo("a");
        assertThat(balancer.pick(pool(2, members), null).id()).isEqualTo("b");
        assertThat(balancer.pick(pool(3, members), null).id()).isEqualTo("a");
    }
}
