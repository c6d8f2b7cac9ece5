package io.beacon.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * An active health check attached to an instance (Consul style): an HTTP GET whose 2xx answer passes,
 * or a TCP connect that succeeds within the timeout.
 *
 * @param type HTTP or TCP
 * @param target the URL (HTTP) or host:port (TCP)
 * @param interval time between checks
 * @param timeout how long one check may take
 * @param failuresBeforeDown consecutive failures that turn the instance DOWN
 * @param successesBeforeUp consecutive successes that bring it back UP
 */
public record CheckSpec(Type type, String target, Duration interval, Duration timeout,
        int failuresBeforeDown, int successesBeforeUp) {

    public enum Type { HTTP, TCP }

    public CheckSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
    }
}
