package io.beacon.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The counter {@code beacon.limit.rejections{limit}} (Prometheus {@code beacon_limit_rejections_total}):
 * requests refused because they reached one of Beacon's limits, tagged with the limit's name as its
 * property under {@code beacon.limits.*} spells it (without {@code max-}). Every limit's counter is
 * registered, at 0, when the first of these is built, so each one is in the scrape from start-up; any
 * number of these may be built on one meter registry (they share its counters).
 */
public final class LimitRejections {

    /** Instances of one service ({@code beacon.limits.max-instances-per-service}). */
    public static final String INSTANCES_PER_SERVICE = "instances-per-service";
    /** Services in total ({@code beacon.limits.max-services}). */
    public static final String SERVICES = "services";
    /** Instances in total ({@code beacon.limits.max-instances}). */
    public static final String INSTANCES = "instances";
    /** Metadata bytes of one instance ({@code beacon.limits.max-metadata-bytes}). */
    public static final String METADATA_BYTES = "metadata-bytes";
    /** Tags of one instance ({@code beacon.limits.max-tags}). */
    public static final String TAGS = "tags";

    /** Watchers of all clients together ({@code beacon.limits.max-watchers}; counted by the watch package). */
    public static final String WATCHERS = "watchers";
    /** Watchers of one client ({@code beacon.limits.max-watchers-per-client}). */
    public static final String WATCHERS_PER_CLIENT = "watchers-per-client";

    /** Every limit counted, the rate budgets ({@link RateBudget}) and the watcher limits included. */
    public static final List<String> LIMITS = List.of(INSTANCES_PER_SERVICE, SERVICES, INSTANCES, METADATA_BYTES,
            TAGS, RateBudget.REGISTRATIONS.limit(), RateBudget.WRITES.limit(), RateBudget.READS.limit(),
            RateBudget.HEARTBEATS.limit(), WATCHERS, WATCHERS_PER_CLIENT);

    private final Map<String, Counter> counters;

    public LimitRejections(MeterRegistry meters) {
        this.counters = LIMITS.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                limit -> Counter.builder("beacon.limit.rejections")
                        .description("Requests refused for reaching a limit (beacon.limits.*)")
                        .tag("limit", limit).register(meters)));
    }

    /** Counts one refusal for {@code limit}, one of {@link #LIMITS}. */
    public void count(String limit) {
        Counter counter = counters.get(limit);
        if (counter == null) {
            throw new IllegalArgumentException("unknown limit " + limit);
        }
        counter.increment();
    }
}
