package io.beacon.balance;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** The load-balancing strategies of {@code GET /discover/one}, by their API names. */
public enum Strategy {

    /** Strict rotation over the candidates sorted by id. */
    ROUND_ROBIN("round_robin"),
    /** Uniformly random. */
    RANDOM("random"),
    /** Smooth weighted round robin (nginx), proportional to {@code weight}. */
    WEIGHTED("weighted"),
    /** Power of two choices over the in-flight counts reported with heartbeats. */
    LEAST_CONNECTIONS("least_connections"),
    /** A hash ring with virtual nodes over the request's {@code key}. */
    CONSISTENT_HASH("consistent_hash");

    private final String apiName;

    Strategy(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /** True when a pick needs the request's {@code key}. */
    public boolean requiresKey() {
        return this == CONSISTENT_HASH;
    }

    /** The strategy with this API name (case-insensitive), or empty. */
    public static Optional<Strategy> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.apiName.equals(wanted)).findFirst();
    }

    /** The API names, sorted, for error messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Strategy::apiName).sorted().toList());
    }

    /**
     * A new balancer of this strategy.
     *
     * @param random source of randomness for the strategies that use it (thread-safe in production:
     *     {@code ThreadLocalRandom::current}; a seeded generator in tests)
     * @param virtualNodes virtual nodes per instance on a consistent-hash ring
     */
    public Balancer newBalancer(Supplier<RandomGenerator> random, int virtualNodes) {
        return switch (this) {
            case ROUND_ROBIN -> new RoundRobinBalancer();
            case RANDOM -> new RandomBalancer(random);
            case WEIGHTED -> new WeightedBalancer();
            case LEAST_CONNECTIONS -> new LeastConnectionsBalancer(random);
            case CONSISTENT_HASH -> new ConsistentHashBalancer(virtualNodes);
        };
    }
}
