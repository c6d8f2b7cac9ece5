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

    /** nginx's algorithm, straight from its description, as the reference. */
    private static List<String> reference(List<io.beacon.registry.Instance> members, int picks) {
        int[] current = new int[members.size()];
        int total = members.stream().mapToInt(io.beacon.registry.Instance::weight).sum();
        List<String> out = new ArrayList<>();
        for (int p = 0; p < picks; p++) {
            int best = 0;
            for (int i = 0; i < current.length; i++) {
                current[i] += members.get(i).weight();
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            out.add(members.get(best).id());
        }
        return out;
    }

    @Test
    void matchesNginxWithAPrecomputedScheduleAndWithTheLockedFallback() {
        List<io.beacon.registry.Instance> small = new ArrayList<>();
        List<io.beacon.registry.Instance> large = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            small.add(instance(String.format("s%03d", i), 1 + i % 7, null, null, 0));
            large.add(instance(String.format("l%03d", i), 1000 - i, null, null, 0));
        }
        // Periods: 397 (precomputed) and 95,050 (more than MAX_SCHEDULE: computed under the lock).
        assertThat(large.stream().mapToInt(io.beacon.registry.Instance::weight).sum())
                .isGreaterThan(WeightedBalancer.MAX_SCHEDULE);
        for (List<io.beacon.registry.Instance> members : List.of(small, large)) {
            Balancer fresh = new WeightedBalancer();
            Pool pool = pool(1, members);
            List<String> picks = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                picks.add(fresh.pick(pool, null).id());
            }
            assertThat(picks).isEqualTo(reference(members, 5_000));
        }
    }
}
