package io.beacon.watch;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on watchers, under {@code beacon.limits.*}: open change streams ({@code /watch}) and held blocking
 * queries ({@code /discover?index=}) count alike. Each held watcher costs a connection and a Tomcat request
 * processor (about 55 KB); a client over a limit gets a 429 problem with {@code Retry-After}.
 *
 * @param maxWatchers most watchers held at once, from every client together (the default, 5,000 at about 58 KB of
 *     heap each, fits the chart's default heap next to a registry at its worst case; see the operations guide)
 * @param maxWatchersPerClient most watchers held at once by one client address
 */
@ConfigurationProperties("beacon.limits")
@Validated
public record WatcherLimits(
        @Min(1) @Max(1_000_000) @DefaultValue("5000") int maxWatchers,
        @Min(1) @Max(1_000_000) @DefaultValue("1000") int maxWatchersPerClient) {
}
