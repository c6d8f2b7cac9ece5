package io.beacon.balance;

import io.beacon.registry.Instance;

/**
 * Picks one instance of a {@link Pool}. One balancer serves one (service, filter set, strategy)
 * selection and may keep state between picks (a rotation cursor, smooth weights, a hash ring).
 * Implementations are thread-safe and never return null for a non-empty pool.
 */
public interface Balancer {

    /**
     * Picks one member of {@code pool}.
     *
     * @param pool the candidates, sorted by id, never empty
     * @param key the request's hash key; only {@link Strategy#CONSISTENT_HASH} reads it (never null there)
     */
    Instance pick(Pool pool, String key);
}
