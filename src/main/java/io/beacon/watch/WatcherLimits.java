package io.beacon.watch;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on watchers, under {@code beacon.limits.*}: open change streams ({@code /watch}) and held blocking
 * queries ({@code /discover?index=}) count alike. Each held watcher costs its connection: about 13 KB (a long
 * poll) to 17 KB (an idle stream) when held lean, 53 to 58 KB held the servlet way (HTTP/2, or
 * {@code beacon.server.lean-watchers=false}); a client over a limit gets a 429 problem with {@code Retry-After}.
 *
 * @param maxWatchers most watchers held at once, from every client together (the default, 10,000 at up to 20 KB of
 *     heap each held lean, fits the chart's default heap next to a registry at its worst case; see the operations
 *     guide)
 * @param maxWatchersPerClient most watchers held at once by one client address
 */
@ConfigurationProperties("beacon.limits")
@Validated
public record WatcherLimits(
        @Min(1) @Max(1_000_000) @DefaultValue("10000") int maxWatchers,
        @Min(1) @Max(1_000_000) @DefaultValue("1000") int maxWatchersPerClient) {
}
