package io.beacon.balance;

import io.beacon.registry.Instance;
import java.util.List;

/**
 * The candidates of one pick, sorted by instance id, and the generation they were read at (the
 * service's index). Balancers that derive structures from the members (weights, a hash ring) rebuild
 * them only when the generation moves and the members really differ, so a pick on an unchanged
 * service costs no rebuild.
 *
 * @param generation the service index of the snapshot the members come from
 * @param members the candidates, sorted by id, not empty
 */
public record Pool(long generation, List<Instance> members) {

    public Pool {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a pool needs at least one member");
        }
    }

    public int size() {
        return members.size();
    }

    public Instance get(int i) {
        return members.get(i);
    }

    /** True when both hold the same ids with the same weights, in the same order. */
    boolean sameMembers(List<Instance> other) {
        if (other.size() != members.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            Instance a = members.get(i);
            Instance b = other.get(i);
            if (!a.id().equals(b.id()) || a.weight() != b.weight()) {
                return false;
            }
        }
        return true;
    }
}
