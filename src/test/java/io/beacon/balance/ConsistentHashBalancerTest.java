package io.beacon.balance;

import static io.beacon.balance.TestInstances.pool;
import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.Instance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsistentHashBalancerTest {

    private static final int KEYS = 20_000;

    private static Map<String, String> assign(Balancer balancer, Pool pool) {
        Map<String, String> owners = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            String key = "user-" + k;
            owners.put(key, balancer.pick(pool, key).id());
        }
        return owners;
    }

    @Test
    void sameKeySameInstance() {
        Pool pool = pool(1, TestInstances.instances(10));
        Map<String, String> first = assign(new ConsistentHashBalancer(160), pool);
        Map<String, String> again = assign(new ConsistentHashBalancer(160), pool(99, TestInstances.instances(10)));
        assertThat(again).isEqualTo(first);
    }

    @Test
    void spreadsKeysEvenly() {
        Map<String, String> owners = assign(new ConsistentHashBalancer(160), pool(1, TestInstances.instances(10)));
        Map<String, Integer> perInstance = new HashMap<>();
        owners.values().forEach(id -> perInstance.merge(id, 1, Integer::sum));
        assertThat(perInstance).hasSize(10);
        // 160 virtual nodes keep every share within about a quarter of the fair 10 %.
        assertThat(perInstance.values()).allSatisfy(c -> assertThat(c / (double) KEYS).isBetween(0.075, 0.125));
    }

    @Test
    void removingOneOfTenRemapsOnlyItsKeys() {
        Balancer balancer = new ConsistentHashBalancer(160);
        List<Instance> ten = TestInstances.instances(10);
        Map<String, String> before = assign(balancer, pool(1, ten));
        List<Instance> nine = new ArrayList<>(ten);
        Instance removed = nine.remove(4);
        Map<String, String> after = assign(balancer, pool(2, nine));
        int moved = 0;
        for (String key : before.keySet()) {
            if (!before.get(key).equals(after.get(key))) {
                moved++;
                assertThat(before.get(key)).as("only keys of the removed instance move").isEqualTo(removed.id());
            }
        }
        assertThat(moved / (double) KEYS).isBetween(0.07, 0.13);
    }

    @Test
    void addingAnEleventhTakesAboutOneEleventh() {
        Balancer balancer = new ConsistentHashBalancer(160);
        Map<String, String> before = assign(balancer, pool(1, TestInstances.instances(10)));
        List<Instance> eleven = TestInstances.instances(11);
        Map<String, String> after = assign(balancer, pool(2, eleven));
        int moved = 0;
        for (String key : before.keySet()) {
            if (!before.get(key).equals(after.get(key))) {
                moved++;
                assertThat(after.get(key)).as("keys only move to the new instance").isEqualTo("i010");
            }
        }
        assertThat(moved / (double) KEYS).isBetween(0.06, 0.12);
    }
}
