package io.beacon.cluster;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.infinispan.AdvancedCache;
import org.infinispan.conflict.ConflictManager;
import org.infinispan.container.entries.CacheEntry;
import org.infinispan.container.entries.InternalCacheValue;
import org.infinispan.remoting.transport.Address;

/**
 * Brings the members' differing copies of a key into line without undoing a write made meanwhile.
 *
 * <p>Infinispan's own {@code ConflictManager.resolveConflicts()} writes the primary owner's value
 * unconditionally, as it read it while scanning: a registration acknowledged between that read and the write
 * is removed again (found under a rolling restart with registrations arriving). Here a key is repaired only
 * when its copies still differ in the same way after a settling pause (so a write in flight, which differs
 * while it is being replicated, is left to finish), and the repair is a compare-and-set against the primary
 * owner's copy ({@code replace(key, primary's value, newest)} or {@code putIfAbsent}): a write that reaches
 * the primary owner first wins, and the repair is dropped.
 *
 * <p>The copy kept is the one with the highest revision (a write that reached some copies only is
 * completed rather than undone), with its own lifespan (tombstones carry one).
 */
final class CopyRepair {

    /** The members' copies of one key: member → copy, members without a copy left out. */
    record Copies(Map<Address, Copy> byMember) {
    }

    /** One member's copy, with the lifespan it was written with (-1: none). */
    record Copy(StoredInstance value, long lifespanMillis) {
    }

    private CopyRepair() {
    }

    /** The keys whose copies differ now, as the conflict manager finds them (one scan of every member's copy). */
    static Map<String, Copies> differing(ConflictManager<String, StoredInstance> conflicts) {
        Map<String, Copies> found = new LinkedHashMap<>();
        conflicts.getConflicts().forEach(conflict -> {
            Map<Address, Copy> copies = new HashMap<>();
            String key = null;
            for (Map.Entry<Address, CacheEntry<String, StoredInstance>> e : conflict.entrySet()) {
                CacheEntry<String, StoredInstance> entry = e.getValue();
                if (entry != null && entry.getValue() != null) {
                    key = entry.getKey();
                    copies.put(e.getKey(), new Copy(entry.getValue(), entry.getLifespan()));
                }
            }
            if (key != null) {
                found.put(key, new Copies(copies));
            }
        });
        return found;
    }

    /**
     * Repairs each key whose copies are still as {@code seen} found them, and returns how many were repaired.
     * A key whose copies changed meanwhile had a write in flight, which replicates by itself.
     */
    static int repair(AdvancedCache<String, StoredInstance> cache, ConflictManager<String, StoredInstance> conflicts,
            Map<String, Copies> seen) {
        int repaired = 0;
        for (Map.Entry<String, Copies> e : seen.entrySet()) {
            String key = e.getKey();
            Map<Address, Copy> now = current(conflicts.getAllVersions(key));
            if (!values(now).equals(values(e.getValue().byMember())) || now.isEmpty()) {
                continue;
            }
            Copy newest = now.values().stream()
                    .max(Comparator.comparingLong((Copy c) -> c.value().revision())).orElseThrow();
            Address primary = cache.getDistributionManager().getCacheTopology().getDistribution(key).primary();
            Copy onPrimary = now.get(primary);
            long lifespan = newest.lifespanMillis();
            boolean written;
            if (onPrimary == null) {
                written = cache.putIfAbsent(key, newest.value(), lifespan, TimeUnit.MILLISECONDS) == null;
            } else {
                written = cache.replace(key, onPrimary.value(), newest.value(), lifespan, TimeUnit.MILLISECONDS);
            }
            if (written) {
                repaired++;
            }
        }
        return repaired;
    }

    private static Map<Address, Copy> current(Map<Address, InternalCacheValue<StoredInstance>> versions) {
        Map<Address, Copy> copies = new HashMap<>();
        versions.forEach((member, v) -> {
            if (v != null && v.getValue() != null) {
                copies.put(member, new Copy(v.getValue(), v.getLifespan()));
            }
        });
        return copies;
    }

    private static Map<Address, StoredInstance> values(Map<Address, Copy> copies) {
        return copies.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().value()));
    }
}
