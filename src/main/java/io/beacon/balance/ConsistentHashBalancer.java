package io.beacon.balance;

import io.beacon.registry.Instance;
import java.util.Arrays;

/**
 * Consistent hashing on a ring with virtual nodes: each member owns {@code virtualNodes} points
 * (64-bit hashes of {@code id#n}); a key goes to the owner of the first point at or after the key's
 * hash. Removing one of N members moves only the keys it owned (about 1/N); adding one takes about
 * 1/(N+1) of the keys from the others. Points depend only on ids, so the mapping is the same on every
 * Beacon node and across restarts.
 *
 * <p>The ring is an immutable pair of arrays swapped in whole when the members change; picks read it
 * without locking.
 */
final class ConsistentHashBalancer implements Balancer {

    private final int virtualNodes;
    private volatile Ring ring;

    ConsistentHashBalancer(int virtualNodes) {
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("virtualNodes must be positive");
        }
        this.virtualNodes = virtualNodes;
    }

    private record Ring(Pool members, long[] points, int[] owners) {
    }

    @Override
    public Instance pick(Pool pool, String key) {
        Ring r = ring;
        if (r == null || (r.members.generation() != pool.generation() && !r.members.sameMembers(pool.members()))
                || r.members.size() != pool.size()) {
            r = build(pool);
            ring = r;
        }
        long h = hash(key);
        int at = Arrays.binarySearch(r.points, h);
        if (at < 0) {
            at = -at - 1;
            if (at == r.points.length) {
                at = 0;
            }
        }
        return pool.get(r.owners[at]);
    }

    private Ring build(Pool pool) {
        int n = pool.size();
        int size = n * virtualNodes;
        long[] points = new long[size];
        Integer[] order = new Integer[size];
        for (int m = 0; m < n; m++) {
            String id = pool.get(m).id();
            for (int v = 0; v < virtualNodes; v++) {
                int slot = m * virtualNodes + v;
                points[slot] = hash(id + '#' + v);
                order[slot] = slot;
            }
        }
        Arrays.sort(order, (x, y) -> Long.compare(points[x], points[y]));
        long[] sorted = new long[size];
        int[] owners = new int[size];
        for (int i = 0; i < order.length; i++) {
            sorted[i] = points[order[i]];
            owners[i] = order[i] / virtualNodes;
        }
        return new Ring(pool, sorted, owners);
    }

    /**
     * FNV-1a over the string's UTF-16 code units (no allocation on the pick path), finished with
     * MurmurHash3's 64-bit mixer for a uniform spread over the ring.
     */
    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93fe53ca6d1L;
        h ^= h >>> 33;
        return h;
    }
}
