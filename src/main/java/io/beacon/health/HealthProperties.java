package io.beacon.health;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Active health checks, under {@code beacon.health.*}.
 *
 * @param enabled run the active checks registrations ask for
 * @param httpThreads threads of the HTTP client that runs HTTP checks (its I/O is non-blocking)
 * @param tcpThreads bounded pool for TCP connect checks
 * @param allowAnyTarget let every registration aim its check at any host, not only the instance's own address
 *     (link-local and metadata addresses stay refused); off by default. Without it, only a registration
 *     with the {@code operate} scope for its service may check another host
 */
@ConfigurationProperties("beacon.health")
@Validated
record HealthProperties(
        @DefaultValue("true") boolean enabled,
        @Min(1) @Max(64) @DefaultValue("2") int httpThreads,
        @Min(1) @Max(512) @DefaultValue("32") int tcpThreads,
        @DefaultValue("false") boolean allowAnyTarget) {
}
