package io.beacon.health;

import io.beacon.api.InstanceView;
import io.beacon.api.InvalidRequestException;
import io.beacon.api.RegistrationController;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Drain: {@code PUT /services/{name}/instances/{id}/status} with {@code {"status":"OUT_OF_SERVICE"}} takes
 * an instance out of discovery without deregistering it; {@code {"status":"UP"}} clears the override.
 * Heartbeats and re-registrations do not undo a drain.
 */
@RestController
public class DrainController {

    private final Registry registry;
    private final Clock clock;

    public DrainController(Registry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** @param status OUT_OF_SERVICE to drain, UP to clear the override */
    public record StatusRequest(String status) {
    }

    @PutMapping(path = "/services/{name}/instances/{id}/status", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<InstanceView> status(@PathVariable String name, @PathVariable String id,
            @RequestBody StatusRequest request) {
        InstanceStatus override = parse(request);
        InstanceKey key = new InstanceKey(ServiceName.of(name), id);
        Instant now = clock.instant();
        Instance updated = registry.update(key, i -> i.withState(i.state().withOverride(override, now)))
                .orElseThrow(() -> new InstanceNotFoundException(key));
        return ResponseEntity.ok().header(RegistrationController.INDEX_HEADER, Long.toString(registry.index(key.service())))
                .body(InstanceView.of(updated));
    }

    /** The override to set: OUT_OF_SERVICE, or null for UP (no override). */
    private static InstanceStatus parse(StatusRequest request) {
        String raw = request == null ? null : request.status();
        if (raw == null || raw.isBlank()) {
            throw new InvalidRequestException("status", "is required: OUT_OF_SERVICE or UP");
        }
        return switch (raw.trim().toUpperCase(Locale.ROOT)) {
            case "OUT_OF_SERVICE" -> InstanceStatus.OUT_OF_SERVICE;
            case "UP" -> null;
            default -> throw new InvalidRequestException("status", "'" + raw + "' is not OUT_OF_SERVICE or UP");
        };
    }
}
