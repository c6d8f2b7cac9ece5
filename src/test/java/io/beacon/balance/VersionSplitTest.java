package io.beacon.balance;

import static io.beacon.balance.TestInstances.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.beacon.policy.ServicePolicy.VersionWeight;
import io.beacon.registry.Instance;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VersionSplitTest {

    private static final List<VersionWeight> CANARY = List.of(new VersionWeight("v1", 90),
            new VersionWeight("v2", 10));

    private static Map<String, Integer> draw(List<VersionWeight> split, List<Instance> candidates, int picks) {
        SplittableRandom random = new SplittableRandom(11);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(String.valueOf(VersionSplit.choose(split, candidates, random)), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void followsTheSplitWithin2Percent() {
        List<Instance> candidates = List.of(instance("a", 100, "v1", null, 0), instance("b", 100, "v1", null, 0),
                instance("c", 100, "v2", null, 0));
        Map<String, Integer> counts = draw(CANARY, candidates, 100_000);
        assertThat(counts.get("v1") / 100_000.0).isCloseTo(0.90, within(0.02));
        assertThat(counts.get("v2") / 100_000.0).isCloseTo(0.10, within(0.02));
    }

    @Test
    void skipsVersionsWithoutCandidatesAndRenormalises() {
        List<VersionWeight> split = List.of(new VersionWeight("v1", 60), new VersionWeight("v2", 30),
                new VersionWeight("v3", 10));
        List<Instance> candidates = List.of(instance("a", 100, "v1", null, 0), instance("c", 100, "v3", null, 0));
        Map<String, Integer> counts = draw(split, candidates, 100_000);
        assertThat(counts).containsOnlyKeys("v1", "v3");
        assertThat(counts.get("v1") / 100_000.0).isCloseTo(0.857, within(0.02));
        assertThat(counts.get("v3") / 100_000.0).isCloseTo(0.143, within(0.02));
    }

    @Test
    void noVersionWithCandidatesGivesNull() {
        List<Instance> candidates = List.of(instance("a", 100, "v9", null, 0));
        assertThat(VersionSplit.choose(CANARY, candidates, new SplittableRandom(1))).isNull();
    }

    @Test
    void zeroWeightVersionIsNeverChosen() {
        List<VersionWeight> split = List.of(new VersionWeight("v1", 0), new VersionWeight("v2", 5));
        List<Instance> candidates = List.of(instance("a", 100, "v1", null, 0), instance("b", 100, "v2", null, 0));
        assertThat(draw(split, candidates, 1_000)).containsOnlyKeys("v2");
    }
}
