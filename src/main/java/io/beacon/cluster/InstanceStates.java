package io.beacon.cluster;

import io.beacon.partition.CutOff;
import io.beacon.registry.InstanceKey;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.infinispan.AdvancedCache;
import org.infinispan.Cache;
import org.infinispan.context.Flag;

/**
 * A replicated cache of one kind of per-instance state (an active check's progress, an outlier breaker's
 * ejection), keyed like the registry ({@code service/id}), which the placements of checks and breakers
 * read from this member's copy and write synchronously to every member. Writes return no previous value,
 * and a write refused on a member cut off from the majority becomes a 503
 * ({@link CutOff#translated}).
 *
 * @param <S> the stored (ProtoStream) form of the state
 */
final class InstanceStates<S> {

    private final Cache<String, S> cache;
    private final AdvancedCache<String, S> writes;

    InstanceStates(Cache<String, S> cache) {
        this.cache = cache;
        this.writes = cache.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES);
    }

    /** This member's copy of {@code key}'s state, turned into its domain form. */
    <T> Optional<T> get(InstanceKey key, Function<S, T> toDomain) {
        return Optional.ofNullable(cache.get(key(key))).map(toDomain);
    }

    /** Writes {@code key}'s state to every member. */
    void put(InstanceKey key, S value) {
        try {
            writes.put(key(key), value);
        } catch (RuntimeException e) {
            throw ClusteredRegistry.translated(e);
        }
    }

    /** Removes {@code key}'s state from every member; nothing is written when this member holds none. */
    void remove(InstanceKey key) {
        String k = key(key);
        if (cache.containsKey(k)) {
            try {
                writes.remove(k);
            } catch (RuntimeException e) {
                throw ClusteredRegistry.translated(e);
            }
        }
    }

    /** The instances whose state (in this member's copy) matches {@code which}. */
    Stream<InstanceKey> keys(Predicate<S> which) {
        return cache.entrySet().stream().filter(e -> which.test(e.getValue())).map(e -> KeyOwners.parse(e.getKey()));
    }

    private static String key(InstanceKey key) {
        return StoredInstance.key(key.service(), key.id());
    }
}
