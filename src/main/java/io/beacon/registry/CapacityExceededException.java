package io.beacon.registry;

/**
 * A new instance was refused because the registry holds as many as a {@link CapacityLimits} allows; nothing
 * was changed. {@link #limit()} names the limit as {@code beacon.limits.max-<limit>} spells it
 * ({@code instances-per-service}, {@code services}, {@code instances}).
 */
public class CapacityExceededException extends RuntimeException {

    /** The capacity limits, by the name used in problems and metrics. */
    public enum Limit {
        INSTANCES_PER_SERVICE("instances-per-service"),
        SERVICES("services"),
        INSTANCES("instances");

        private final String label;

        Limit(String label) {
            this.label = label;
        }

        /** The limit's name: {@code beacon.limits.max-}{@code label} is its property. */
        public String label() {
            return label;
        }

        public String property() {
            return "beacon.limits.max-" + label;
        }
    }

    private final Limit limit;
    private final int maximum;

    public CapacityExceededException(Limit limit, int maximum, ServiceName service) {
        super(message(limit, maximum, service));
        this.limit = limit;
        this.maximum = maximum;
    }

    public Limit limit() {
        return limit;
    }

    /** The limit's value. */
    public int maximum() {
        return maximum;
    }

    private static String message(Limit limit, int maximum, ServiceName service) {
        String holds = switch (limit) {
            case INSTANCES_PER_SERVICE -> "Service '" + service + "' already has " + maximum + " instances";
            case SERVICES -> "Beacon already holds " + maximum + " services";
            case INSTANCES -> "Beacon already holds " + maximum + " instances";
        };
        return holds + ", the limit " + limit.property() + "=" + maximum
                + "; a new instance is refused until some leave (re-registering a known id still works).";
    }
}
