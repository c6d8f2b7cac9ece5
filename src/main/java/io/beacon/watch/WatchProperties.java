package io.beacon.watch;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Change-stream settings under {@code beacon.watch.*} (the blocking-discovery waits, also under
 * {@code beacon.watch.*}, are the discovery package's {@code LongPollProperties}).
 *
 * @param history change events kept per service for {@code Last-Event-ID} resumption
 * @param globalHistory change events kept for resuming the all-services stream
 * @param historyBytes bytes (serialised events plus about 64 bytes each) the per-service histories may hold
 *        together; past it, a service that changes drops its oldest events first
 * @param globalHistoryBytes bytes the all-services stream's history may hold
 * @param queueCapacity frames buffered per stream subscriber before it counts as too slow and is cut
 * @param keepAlive idleness after which a stream gets a keep-alive comment: the first comes this long after the
 *        stream opened when nothing changed, each next one this long after the stream's last frame
 * @param senderThreads threads that write stream frames, answer woken and timed-out long polls and run the
 *        watchers' timers (writes never block)
 */
@ConfigurationProperties("beacon.watch")
@Validated
public record WatchProperties(
        @Min(1) @Max(100_000) @DefaultValue("256") int history,
        @Min(1) @Max(1_000_000) @DefaultValue("4096") int globalHistory,
        @Min(65_536) @DefaultValue("33554432") long historyBytes,
        @Min(65_536) @DefaultValue("16777216") long globalHistoryBytes,
        @Min(2) @Max(1_000_000) @DefaultValue("1024") int queueCapacity,
        @NotNull @DefaultValue("15s") Duration keepAlive,
        @Min(1) @Max(64) @DefaultValue("2") int senderThreads) {

    public WatchProperties {
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("beacon.watch.keep-alive must be positive");
        }
    }
}
