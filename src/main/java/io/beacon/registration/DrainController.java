package io.beacon.registration;

import io.beacon.web.Headers;

import io.beacon.web.ApiDocs;
import io.beacon.security.BeaconPrincipal;
import io.beacon.security.ServiceAccess;
import io.beacon.web.InstanceView;
import io.beacon.web.StatusExplanation;
import io.beacon.web.InvalidRequestException;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
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
@Tag(name = "Drain", description = "Take an instance out of discovery without deregistering it")
public class DrainController {

    private static final String STATUS_INVALID_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'status': 'DRAINING' is not OUT_OF_SERVICE or UP",\
            "instance":"/services/orders/instances/10.0.0.5:8080/status",\
            "errors":[{"field":"status","message":"'DRAINING' is not OUT_OF_SERVICE or UP"}]}""";

    private static final String STATUS_MISSING_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'status': is required: OUT_OF_SERVICE or UP",\
            "instance":"/services/orders/instances/10.0.0.5:8080/status",\
            "errors":[{"field":"status","message":"is required: OUT_OF_SERVICE or UP"}]}""";

    private static final String NOT_FOUND_EXAMPLE = """
            {"type":"about:blank","title":"Instance not found","status":404,\
            "detail":"Instance '10.0.0.5:8080' of service 'orders' is not registered. Register it again with \
            POST /register.","instance":"/services/orders/instances/10.0.0.5:8080/status"}""";

    private final Registry registry;
    private final Clock clock;

    public DrainController(Registry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** @param status OUT_OF_SERVICE to drain, UP to clear the override */
    public record StatusRequest(String status) {
    }

    @Operation(summary = "Drain an instance or end a drain",
            description = "`OUT_OF_SERVICE` sets an operator override that hides the instance from discovery "
                    + "while it stays registered; `UP` clears the override. Heartbeats and re-registrations "
                    + "do not undo a drain.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = StatusRequest.class),
                            examples = {@ExampleObject(name = "drain", value = "{\"status\":\"OUT_OF_SERVICE\"}"),
                                @ExampleObject(name = "undrain", value = "{\"status\":\"UP\"}")})))
    @ApiResponse(responseCode = "200", description = "The instance with its new status",
            headers = @Header(name = Headers.INDEX,
                    description = "The service's index after the change",
                    schema = @Schema(type = "integer", format = "int64")))
    @ApiResponse(responseCode = "400", description = "Missing or unknown `status`, invalid service name or "
            + "malformed body",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = {@ExampleObject(name = "invalid", value = STATUS_INVALID_EXAMPLE),
                        @ExampleObject(name = "missing", value = STATUS_MISSING_EXAMPLE),
                        @ExampleObject(name = "name", value = ApiDocs.INVALID_NAME_EXAMPLE)}))
    @ApiResponse(responseCode = "404", description = "Not registered",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = NOT_FOUND_EXAMPLE)))
    @PutMapping(path = "/services/{name}/instances/{id}/status", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<InstanceView> status(
            @Parameter(description = "Service name (case-insensitive)", example = "orders") @PathVariable String name,
            @Parameter(description = "Instance id", example = "10.0.0.5:8080") @PathVariable String id,
            @RequestBody StatusRequest request) {
        InstanceStatus override = parse(request);
        InstanceKey key = new InstanceKey(ServiceName.of(name), id);
        Instant now = clock.instant();
        BeaconPrincipal principal = ServiceAccess.current();
        String by = principal == null ? null : principal.id();
        Instance updated = registry.update(key, i -> drained(i.withState(i.state().withOverride(override, now)),
                override == null ? null : by, now)).orElseThrow(() -> new InstanceNotFoundException(key));
        return ResponseEntity.ok().header(Headers.INDEX, Long.toString(registry.index(key.service())))
                .body(InstanceView.of(updated));
    }

    /**
     * {@code i} noting who drained it ({@link StatusExplanation#DRAINED_BY}, the token id), or no longer noting it
     * when {@code by} is null (returned, or drained in open mode without a token).
     */
    private static Instance drained(Instance i, String by, Instant now) {
        if (Objects.equals(i.attributes().get(StatusExplanation.DRAINED_BY), by)) {
            return i;
        }
        Map<String, String> attributes = new HashMap<>(i.attributes());
        if (by == null) {
            attributes.remove(StatusExplanation.DRAINED_BY);
        } else {
            attributes.put(StatusExplanation.DRAINED_BY, by);
        }
        return i.withAttributes(attributes, now);
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
