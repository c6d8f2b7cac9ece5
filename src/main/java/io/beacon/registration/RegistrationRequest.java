package io.beacon.registration;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /register}. JSON types are strict: strings are JSON strings, {@code port},
 * {@code weight} and {@code leaseSeconds} are JSON integers (not {@code "80"}, {@code 80.5} or
 * {@code 7.1e3}). Unknown fields (for example the {@code health} and {@code last_seen} some clients send)
 * are ignored. Validated by {@link RegistrationValidator}, as an {@link InstanceDraft}.
 *
 * @param name service name (case-insensitive)
 * @param address IP literal or host name
 * @param port 1..65535
 * @param id instance id; defaults to {@code address:port}
 * @param metadata string map
 * @param tags labels
 * @param zone availability zone; when absent, metadata {@code zone} is the zone
 * @param version version of the software the instance runs; when absent, metadata {@code version} is the
 *     version
 * @param weight 1..1000, default 100
 * @param leaseSeconds lease duration for this instance, within the configured bounds
 * @param check an active health check
 */
public record RegistrationRequest(String name, String address, Integer port, String id,
        Map<String, String> metadata, List<String> tags, String zone, String version, Integer weight,
        Integer leaseSeconds, CheckRequest check) {

    /**
     * An active health check: exactly one of {@code http} (a URL, 2xx passes) or {@code tcp}
     * ({@code host:port}, a connection passes).
     *
     * @param http URL to GET
     * @param tcp host:port to connect to
     * @param interval time between checks, a whole number with a unit ({@code 500ms}, {@code 10s}, {@code 2m},
     *     {@code 1h}; 100ms to 1h, default 10s)
     * @param timeout time one check may take, same syntax (100ms to 1h, default 2s)
     * @param failuresBeforeDown consecutive failures before DOWN (default 3)
     * @param successesBeforeUp consecutive successes before UP again (default 1)
     */
    public record CheckRequest(String http, String tcp, String interval, String timeout,
            Integer failuresBeforeDown, Integer successesBeforeUp) {
    }
}
