package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.registry.InstanceKey;
import io.beacon.registry.ServiceName;
import io.beacon.support.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.infinispan.AdvancedCache;
import org.infinispan.conflict.ConflictManager;
import org.infinispan.conflict.ConflictManagerFactory;
import org.infinispan.context.Flag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Copies that a departed member left different are resolved. A member that crashes while one of its writes is
 * being replicated can leave that write (never acknowledged) on some survivors only; here such a write is put
 * on one member's copy alone, then a member leaves, and the survivors' copies must agree within seconds,
 * without any further write of the key. A write made after the copies were compared is never undone by the
 * repair.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRepairIT {

    static final MutableClock clock = new MutableClock();
    static TestCluster cluster;

    @BeforeAll
    static void formCluster() {
        cluster = TestCluster.ofThree(clock, List.of());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aWriteMadeAfterTheCopiesWereComparedIsNotUndoneByTheRepair() {
        ClusterMember a = cluster.a;
        ClusterMember b = cluster.b;
        String key = StoredInstance.key(ServiceName.of("repair"), "r-2");
        StoredInstance replicated = registeredThroughA("r-2", "10.9.0.2");
        local(a).put(key, StoredInstance.of(replicated.toInstance().withWeight(7, clock.instant()),
                replicated.revision() + 1, replicated.index()));
        // an instance on one copy only, then written through the cache (every copy) after the comparison
        String other = StoredInstance.key(ServiceName.of("repair"), "r-3");
        local(a).put(other, StoredInstance.of(replicated.toInstance().withWeight(9, clock.instant()), 1, 1));

        ConflictManager<String, StoredInstance> conflicts = ConflictManagerFactory.get(a.cache().getAdvancedCache());
        Map<String, CopyRepair.Copies> seen = CopyRepair.differing(conflicts);
        assertThat(seen).containsKeys(key, other);
        // the instance registers again (weight 42) on b, and r-3 is written (weight 11), after the comparison
        assertThat(b.http.post("/register", """
                {"name":"repair","id":"r-2","address":"10.9.0.2","port":8080,"weight":42}""").statusCode())
                .isEqualTo(200);
        b.cache().put(other, StoredInstance.of(replicated.toInstance().withWeight(11, clock.instant()), 2, 2));

        assertThat(CopyRepair.repair(a.cache().getAdvancedCache(), conflicts, seen)).isZero();
        for (ClusterMember m : List.of(a, b)) {
            assertThat(copy(m, key).weight()).as(m.name + " keeps the later registration").isEqualTo(42);
            assertThat(copy(m, other).weight()).as(m.name + " keeps the later write").isEqualTo(11);
        }
    }

    @Test
    @Order(2)
    void copiesADepartedMemberLeftDifferentAgreeAgainWithoutAnotherWrite() {
        ClusterMember a = cluster.a;
        ClusterMember b = cluster.b;
        String key = StoredInstance.key(ServiceName.of("repair"), "r-1");
        StoredInstance replicated = registeredThroughA("r-1", "10.9.0.1");
        // a write that reached member a's copy only, as one in flight from a member that then crashed
        StoredInstance partial = StoredInstance.of(replicated.toInstance().withWeight(7, clock.instant()),
                replicated.revision() + 1, replicated.index());
        local(a).put(key, partial);
        assertThat(copy(a, key)).isEqualTo(partial);
        assertThat(copy(b, key)).isEqualTo(replicated);

        cluster.c.close();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            StoredInstance onA = copy(a, key);
            StoredInstance onB = copy(b, key);
            assertThat(onA).as("the survivors' copies agree").isEqualTo(onB);
            assertThat(Objects.requireNonNull(onA).weight()).as("the first or the partial write").isIn(100, 7);
        });
        // and both members answer the same
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                a.registry().get(InstanceKey.of("repair", "r-1")).map(i -> i.weight()))
                .isEqualTo(b.registry().get(InstanceKey.of("repair", "r-1")).map(i -> i.weight())));
    }

    /** Registers instance {@code id} of "repair" through member a; its value once member b holds it too. */
    private static StoredInstance registeredThroughA(String id, String address) {
        assertThat(cluster.a.http.post("/register", "{\"name\":\"repair\",\"id\":\"" + id + "\",\"address\":\""
                + address + "\",\"port\":8080}").statusCode()).isEqualTo(201);
        String key = StoredInstance.key(ServiceName.of("repair"), id);
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.b.cache().get(key) != null);
        return cluster.a.cache().get(key);
    }

    /** The member's own copy of the cache, read and written without replication. */
    private static AdvancedCache<String, StoredInstance> local(ClusterMember member) {
        return member.cache().getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL);
    }

    private static StoredInstance copy(ClusterMember member, String key) {
        return local(member).get(key);
    }
}
