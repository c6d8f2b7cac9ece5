package io.beacon.watch;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Watch settings under {@code beacon.watch.*}: blocking discovery and the change stream.
 *
 * @param defaultWait how long a blocking {@code /discover} holds the request when {@code wait} is not given
 * @param maxWait largest {@code wait} honoured; larger values are capped to it
 * @param history change events kept per service for {@code Last-Event-ID} resumption
 * @param globalHistory change events kept for resuming the all-services stream
 * @param queueCapacity frames buffered per stream subscriber before it counts as too slow and is cut
 * @param keepAlive interval of the keep-alive comment sent on idle streams
 * @param senderThreads threads that write stream frames and answer woken long polls (writes never block)
 */
@ConfigurationProperties("beacon.watch")
@Validated
public record WatchProperties(
        @NotNull @DefaultValue("30s") Duration defaultWait,
        @NotNull @DefaultValue("5m") Duration maxWait,
        @Min(1) @Max(100_000) @DefaultValue("256") int history,
        @Min(1) @Max(1_000_000) @DefaultValue("4096") int globalHistory,
        @Min(2) @Max(1_000_000) @DefaultValue("1024") int queueCapacity,
        @NotNull @DefaultValue("15s") Duration keepAlive,
        @Min(1) @Max(64) @DefaultValue("2") int senderThreads) {

    public WatchProperties {
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("beacon.watch.max-wait must be positive");
        }
        if (defaultWait.isNegative() || defaultWait.isZero()) {
            throw new IllegalArgumentException("beacon.watch.default-wait must be positive");
        }
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("beacon.watch.keep-alive must be positive");
        }
    }
}
