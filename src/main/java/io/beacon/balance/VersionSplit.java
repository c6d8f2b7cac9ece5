package io.beacon.balance;

import io.beacon.policy.ServicePolicy;
import io.beacon.registry.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A service's version split (canary): chooses the version a pick is served from, in proportion to the
 * split's weights among the versions that have candidates right now (the others are skipped and the
 * rest renormalised). Pure: the caller supplies the candidates and the random source.
 */
final class VersionSplit {

    private VersionSplit() {
    }

    /**
     * The version to pick from, or null when the split has no version with a candidate and a positive
     * weight (the caller then picks among all candidates).
     *
     * @param split the policy's split, not empty
     * @param candidates the pick's candidates
     */
    static String choose(List<ServicePolicy.VersionWeight> split, List<Instance> candidates, RandomGenerator random) {
        List<ServicePolicy.VersionWeight> present = new ArrayList<>(split.size());
        long total = 0;
        for (ServicePolicy.VersionWeight vw : split) {
            if (vw.weight() != null && vw.weight() > 0 && hasVersion(candidates, vw.version())) {
                present.add(vw);
                total += vw.weight();
            }
        }
        if (present.isEmpty()) {
            return null;
        }
        long draw = random.nextLong(total);
        for (ServicePolicy.VersionWeight vw : present) {
            draw -= vw.weight();
            if (draw < 0) {
                return vw.version();
            }
        }
        return present.get(present.size() - 1).version();
    }

    private static boolean hasVersion(List<Instance> candidates, String version) {
        for (Instance i : candidates) {
            if (version.equals(i.version())) {
                return true;
            }
        }
        return false;
    }
}
