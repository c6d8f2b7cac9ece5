package io.beacon.eureka;

import io.beacon.api.InvalidRequestException;
import io.beacon.config.BeaconProperties;
import io.beacon.metrics.RegistryMetrics;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Eureka's write API: register (204), renew (200, or 404 so the client registers again), cancel,
 * status override and metadata. Renewals are Beacon heartbeats: they renew the same lease as
 * {@code PUT /heartbeat} and are counted in the same metrics.
 */
@RestController
@RequestMapping("/eureka/apps/{app}")
class EurekaWriteController {

    private final Registry registry;
    private final EurekaRegistrationReader reader;
    private final RegistryMetrics metrics;
    private final BeaconProperties properties;
    private final Clock clock;

    EurekaWriteController(Registry registry, EurekaRegistrationReader reader, RegistryMetrics metrics,
            BeaconProperties properties, Clock clock) {
        this.registry = registry;
        this.reader = reader;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    @PostMapping(path = {"", "/"}, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> register(@PathVariable String app, @RequestBody(required = false) byte[] body) {
        Instant now = clock.instant();
        Instance candidate = reader.read(body, app, now);
        registry.register(candidate, now);
        metrics.registered();
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/{id}")
    ResponseEntity<?> renew(@PathVariable String app, @PathVariable String id,
            @RequestParam(required = false) String lastDirtyTimestamp, HttpServletRequest request) {
        InstanceKey key = key(app, id);
        Instance renewed;
        try {
            renewed = registry.heartbeat(key, clock.instant(), OptionalInt.empty());
        } catch (InstanceNotFoundException e) {
            metrics.heartbeatUnknown();
            return notFound(request);
        }
        metrics.heartbeatAccepted();
        if (isNewer(lastDirtyTimestamp, renewed.attributes().get(EurekaMapper.LAST_DIRTY))) {
            return EurekaResponses.notFound("Instance out of date", "The client's copy of " + key
                    + " is newer than Beacon's; register it again.", request.getRequestURI());
        }
        return ResponseEntity.ok().build();
    }

    @DeleteMapping("/{id}")
    ResponseEntity<?> cancel(@PathVariable String app, @PathVariable String id, HttpServletRequest request) {
        return registry.deregister(key(app, id)).<ResponseEntity<?>>map(i -> ResponseEntity.ok().build())
                .orElseGet(() -> notFound(request));
    }

    @PutMapping("/{id}/status")
    ResponseEntity<?> overrideStatus(@PathVariable String app, @PathVariable String id,
            @RequestParam(required = false) String value, HttpServletRequest request) {
        InstanceStatus override = parseOverride(value);
        Instant now = clock.instant();
        return respond(registry.update(key(app, id),
                i -> i.withState(i.state().withOverride(override, now))), request);
    }

    @DeleteMapping("/{id}/status")
    ResponseEntity<?> removeOverride(@PathVariable String app, @PathVariable String id, HttpServletRequest request) {
        Instant now = clock.instant();
        return respond(registry.update(key(app, id), i -> i.withState(i.state().withOverride(null, now))), request);
    }

    @PutMapping("/{id}/metadata")
    ResponseEntity<?> metadata(@PathVariable String app, @PathVariable String id,
            @RequestParam Map<String, String> params, HttpServletRequest request) {
        InstanceKey key = key(app, id);
        Optional<Instance> current = registry.get(key);
        if (current.isEmpty()) {
            return notFound(request);
        }
        Map<String, String> merged = new HashMap<>(current.get().metadata());
        merged.putAll(params);
        checkMetadata(merged);
        Instant now = clock.instant();
        return respond(registry.update(key, i -> {
            Map<String, String> next = new HashMap<>(i.metadata());
            next.putAll(params);
            return next.equals(i.metadata()) ? i : i.withMetadata(next, now);
        }), request);
    }

    /** UP clears an override; OUT_OF_SERVICE, DOWN and STARTING set one; anything else is a 400. */
    private static InstanceStatus parseOverride(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException("value", "is required: one of UP, DOWN, STARTING, OUT_OF_SERVICE");
        }
        return switch (value.toUpperCase(Locale.ROOT)) {
            case "UP" -> null;
            case "DOWN" -> InstanceStatus.DOWN;
            case "STARTING" -> InstanceStatus.STARTING;
            case "OUT_OF_SERVICE" -> InstanceStatus.OUT_OF_SERVICE;
            default -> throw new InvalidRequestException("value",
                    "must be one of UP, DOWN, STARTING, OUT_OF_SERVICE, not '" + value + "'");
        };
    }

    private void checkMetadata(Map<String, String> metadata) {
        BeaconProperties.Limits limits = properties.limits();
        if (metadata.size() > limits.maxMetadataEntries()) {
            throw new InvalidRequestException("metadata", "would have " + metadata.size()
                    + " entries; at most " + limits.maxMetadataEntries() + " are allowed");
        }
        metadata.forEach((k, v) -> {
            if (k.isEmpty() || k.length() > limits.maxMetadataKeyLength()) {
                throw new InvalidRequestException("metadata", "keys must be 1 to "
                        + limits.maxMetadataKeyLength() + " characters");
            }
            if (v.length() > limits.maxMetadataValueLength()) {
                throw new InvalidRequestException("metadata." + k, "is longer than "
                        + limits.maxMetadataValueLength() + " characters");
            }
        });
    }

    private static boolean isNewer(String clientDirty, String serverDirty) {
        if (clientDirty == null || serverDirty == null) {
            return false;
        }
        try {
            return Long.parseLong(clientDirty) > Long.parseLong(serverDirty);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static InstanceKey key(String app, String id) {
        return new InstanceKey(ServiceName.of(app), id);
    }

    private static ResponseEntity<?> respond(Optional<Instance> updated, HttpServletRequest request) {
        return updated.isPresent() ? ResponseEntity.ok().build() : notFound(request);
    }

    private static ResponseEntity<Object> notFound(HttpServletRequest request) {
        return EurekaResponses.notFound("Instance not found", "No such instance is registered; register it with "
                + "POST /eureka/apps/{APP}.", request.getRequestURI());
    }
}
