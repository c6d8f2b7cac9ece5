package io.beacon.registry;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much the registry holds at most, under {@code beacon.limits.*}: checked where an instance is created
 * ({@link ServiceTable.Entry#admit}), never for a re-registration of a known id. The defaults keep the
 * registry's worst case (every instance with the largest metadata and tags allowed) well inside the heap
 * of the chart's default memory limit; see the operations guide.
 *
 * @param maxInstances most instances in total
 * @param maxInstancesPerService most instances of one service
 * @param maxServices most services with at least one instance
 */
@ConfigurationProperties("beacon.limits")
@Validated
public record CapacityLimits(
        @DefaultValue("15000") @Positive int maxInstancesPerService,
        @DefaultValue("5000") @Positive int maxServices,
        @DefaultValue("20000") @Positive int maxInstances) {

    /** No limit (tests and tools that build a registry without Spring). */
    public static final CapacityLimits UNLIMITED =
            new CapacityLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
}
