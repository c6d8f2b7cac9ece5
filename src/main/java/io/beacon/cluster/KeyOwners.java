package io.beacon.cluster;

import io.beacon.registry.InstanceKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.Address;

/**
 * Which member owns an instance: rendezvous (highest-random-weight) hashing of the instance's key over
 * the members of the current cluster view. Every member computes the same owner from the same view; when
 * a member leaves, only its instances move (each to the member that scores next highest), and a member
 * that joins takes over about its share. The view is JGroups' (the cache manager's members), so the owner
 * follows membership as soon as the view changes.
 */
final class KeyOwners {

    private final EmbeddedCacheManager manager;

    KeyOwners(EmbeddedCacheManager manager) {
        this.manager = manager;
    }

    /** The owner in the current view; null before this member has joined one. */
    Address primary(InstanceKey key) {
        return owner(key, manager.getMembers());
    }

    boolean isPrimary(InstanceKey key) {
        Address primary = primary(key);
        return primary == null || primary.equals(manager.getAddress());
    }

    Address self() {
        return manager.getAddress();
    }

    static Address owner(InstanceKey key, List<Address> members) {
        if (members == null || members.isEmpty()) {
            return null;
        }
        long k = fnv(StoredInstance.key(key.service(), key.id()));
        Address best = null;
        long bestScore = 0;
        for (Address member : members) {
            long score = mix(k ^ fnv(member.toString()));
            if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
                best = member;
                bestScore = score;
            }
        }
        return best;
    }

    /** FNV-1a over UTF-8: stable across JVMs (unlike identity hashes), unlike String.hashCode well spread. */
    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** The 64-bit finaliser of MurmurHash3. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** The instance key of a {@code service/id} cache key. */
    static InstanceKey parse(String key) {
        int slash = key.indexOf('/');
        return InstanceKey.of(key.substring(0, slash), key.substring(slash + 1));
    }
}
