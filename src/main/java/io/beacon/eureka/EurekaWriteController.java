package io.beacon.eureka;

import io.beacon.web.ApiDocs;
import io.beacon.web.InvalidRequestException;
import io.beacon.registration.InstanceLimits;
import io.beacon.registration.RegistrationService;
import io.beacon.web.InputRules;
import io.beacon.web.LimitRejections;
import io.micrometer.core.instrument.MeterRegistry;
import io.beacon.web.Violation;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.Explode;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.enums.ParameterStyle;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
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
@Tag(name = EurekaDocs.TAG, description = EurekaDocs.TAG_DESCRIPTION)
class EurekaWriteController {

    private final Registry registry;
    private final EurekaRegistrationReader reader;
    private final RegistrationService registrations;
    private final InstanceLimits limits;
    private final Clock clock;
    private final LimitRejections rejections;

    EurekaWriteController(Registry registry, EurekaRegistrationReader reader, RegistrationService registrations,
            InstanceLimits limits, Clock clock, MeterRegistry meters) {
        this.registry = registry;
        this.reader = reader;
        this.registrations = registrations;
        this.limits = limits;
        this.clock = clock;
        this.rejections = new LimitRejections(meters);
    }

    @Operation(summary = "Eureka: register an instance",
            description = EurekaDocs.REGISTER_DESCRIPTION,
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object"),
                            examples = @ExampleObject(name = "spring-cloud", value = EurekaDocs.REGISTRATION_EXAMPLE))))
    @ApiResponse(responseCode = "204", description = "Registered")
    @ApiResponse(responseCode = "400", description = "Missing or invalid fields (named by Eureka's field names in "
            + "`errors`), or an invalid application name",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = {@ExampleObject(name = "invalid", value = EurekaDocs.REGISTRATION_INVALID_EXAMPLE),
                        @ExampleObject(name = "missing", value = EurekaDocs.REGISTRATION_MISSING_EXAMPLE),
                        @ExampleObject(name = "name", value = ApiDocs.INVALID_NAME_EXAMPLE)}))
    @ApiResponse(responseCode = "413", description = "Body over `beacon.limits.max-body-bytes`",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = EurekaDocs.TOO_LARGE_EXAMPLE)))
    @ApiResponse(responseCode = "415", description = "A body that is not JSON",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = EurekaDocs.UNSUPPORTED_MEDIA_TYPE_EXAMPLE)))
    @ApiResponse(responseCode = "409", description = "A new instance would pass a capacity limit "
            + "(`beacon.limits.max-instances-per-service`, `max-services`, `max-instances`)")
    @PostMapping(path = {"", "/"}, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> register(
            @Parameter(description = EurekaDocs.APP, example = "ORDERS") @PathVariable String app,
            @RequestBody(required = false) byte[] body) {
        ServiceName.of(app); // an invalid application name is the "Invalid service name" problem
        registrations.register(reader.read(body, app));
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Eureka: renew a lease", description = EurekaDocs.RENEW_DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "Lease renewed")
    @ApiResponse(responseCode = "400", description = "Invalid application name")
    @ApiResponse(responseCode = "404", description = "Not registered, or Beacon's copy is older than the client's: "
            + "the client registers again",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = {@ExampleObject(name = "not-registered", value = EurekaDocs.INSTANCE_NOT_FOUND_EXAMPLE),
                        @ExampleObject(name = "out-of-date", value = EurekaDocs.OUT_OF_DATE_EXAMPLE)}))
    @PutMapping("/{id}")
    ResponseEntity<?> renew(
            @Parameter(description = EurekaDocs.APP, example = "ORDERS") @PathVariable String app,
            @Parameter(description = EurekaDocs.INSTANCE_ID, example = "10.0.0.5:orders:8080") @PathVariable String id,
            @Parameter(description = "The client's last change of the instance (epoch millis)",
                    example = "1767225600000")
            @RequestParam(required = false) String lastDirtyTimestamp, HttpServletRequest request) {
        InstanceKey key = key(app, id);
        Instance renewed;
        try {
            renewed = registrations.renew(key, OptionalInt.empty());
        } catch (InstanceNotFoundException e) {
            return notFound(request);
        }
        if (isNewer(lastDirtyTimestamp, renewed.attributes().get(EurekaMapper.LAST_DIRTY))) {
            return EurekaResponses.notFound("Instance out of date", "The client's copy of " + key
                    + " is newer than Beacon's; register it again.", request.getRequestURI());
        }
        return ResponseEntity.ok().build();
    }

    @Operation(summary = "Eureka: cancel (deregister) an instance", description = "Removes the instance at once.")
    @ApiResponse(responseCode = "200", description = "Removed")
    @ApiResponse(responseCode = "400", description = "Invalid application name")
    @ApiResponse(responseCode = "404", description = "Not registered",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = EurekaDocs.INSTANCE_NOT_FOUND_EXAMPLE)))
    @DeleteMapping("/{id}")
    ResponseEntity<?> cancel(
            @Parameter(description = EurekaDocs.APP, example = "ORDERS") @PathVariable String app,
            @Parameter(description = EurekaDocs.INSTANCE_ID, example = "10.0.0.5:orders:8080") @PathVariable String id,
            HttpServletRequest request) {
        return registry.deregister(key(app, id)).<ResponseEntity<?>>map(i -> ResponseEntity.ok().build())
                .orElseGet(() -> notFound(request));
    }

    @Operation(summary = "Eureka: override an instance's status",
            description = "`OUT_OF_SERVICE`, `DOWN` and `STARTING` set an operator override; `UP` clears it.")
    @ApiResponse(responseCode = "200", description = "Override set or cleared")
    @ApiResponse(responseCode = "400", description = "Missing or unknown `value`, or an invalid application name",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = {@ExampleObject(name = "invalid", value = EurekaDocs.STATUS_INVALID_EXAMPLE),
                        @ExampleObject(name = "name", value = ApiDocs.INVALID_NAME_EXAMPLE)}))
    @ApiResponse(responseCode = "404", description = "Not registered",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = EurekaDocs.STATUS_NOT_FOUND_EXAMPLE)))
    @PutMapping("/{id}/status")
    ResponseEntity<?> overrideStatus(
            @Parameter(description = EurekaDocs.APP, example = "ORDERS") @PathVariable String app,
            @Parameter(description = EurekaDocs.INSTANCE_ID, example = "10.0.0.5:orders:8080") @PathVariable String id,
            @Parameter(description = "UP, DOWN, STARTING or OUT_OF_SERVICE", example = "OUT_OF_SERVICE")
            @RequestParam(required = false) String value, HttpServletRequest request) {
        InstanceStatus override = parseOverride(value);
        Instant now = clock.instant();
        return respond(registry.update(key(app, id),
                i -> i.withState(i.state().withOverride(override, now))), request);
    }

    @Operation(summary = "Eureka: remove a status override", description = "Clears the operator override.")
    @ApiResponse(responseCode = "200", description = "Override cleared")
    @ApiResponse(responseCode = "400", description = "Invalid application name")
    @ApiResponse(responseCode = "404", description = "Not registered",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = EurekaDocs.STATUS_NOT_FOUND_EXAMPLE)))
    @DeleteMapping("/{id}/status")
    ResponseEntity<?> removeOverride(
            @Parameter(description = EurekaDocs.APP, example = "ORDERS") @PathVariable String app,
            @Parameter(description = EurekaDocs.INSTANCE_ID, example = "10.0.0.5:orders:8080") @PathVariable String id,
            HttpServletRequest request) {
        Instant now = clock.instant();
        return respond(registry.update(key(app, id), i -> i.withState(i.state().withOverride(null, now))), request);
    }

    @Operation(summary = "Eureka: update an instance's metadata",
            description = "Merges every query parameter into the instance's metadata "
                    + "(e.g. `?zone=eu-west-1a&version=1.4.2`); Beacon's metadata limits apply.")
    @Parameter(name = "metadata", in = ParameterIn.QUERY, style = ParameterStyle.FORM, explode = Explode.TRUE,
            description = "Metadata entries to merge, one query parameter each",
            schema = @Schema(type = "object", additionalPropertiesSchema = String.class),
            example = "{\"zone\":\"eu-west-1a\"}")
    @ApiResponse(responseCode = "200", description = "Metadata merged")
    @ApiResponse(responseCode = "400", description = "The merged metadata breaks a limit, or an invalid "
            + "application name",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = {@ExampleObject(name = "invalid", value = EurekaDocs.METADATA_INVALID_EXAMPLE),
                        @ExampleObject(name = "name", value = ApiDocs.INVALID_NAME_EXAMPLE)}))
    @ApiResponse(responseCode = "404", description = "Not registered",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = EurekaDocs.METADATA_NOT_FOUND_EXAMPLE)))
    @PutMapping("/{id}/metadata")
    ResponseEntity<?> metadata(
            @Parameter(description = EurekaDocs.APP, example = "ORDERS") @PathVariable String app,
            @Parameter(description = EurekaDocs.INSTANCE_ID, example = "10.0.0.5:orders:8080") @PathVariable String id,
            @Parameter(hidden = true) @RequestParam Map<String, String> params, HttpServletRequest request) {
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

    /** The merged metadata must keep Beacon's metadata rules, the same as a registration's. */
    private void checkMetadata(Map<String, String> metadata) {
        if (metadata.size() > limits.maxMetadataEntries()) {
            throw new InvalidRequestException("metadata", "would have " + metadata.size()
                    + " entries; at most " + limits.maxMetadataEntries() + " are allowed");
        }
        List<Violation> errors = new ArrayList<>();
        InputRules.metadata("metadata", metadata, limits.metadata(), errors);
        if (!errors.isEmpty()) {
            if (InputRules.metadataBytes(metadata) > limits.maxMetadataBytes()) {
                rejections.count(LimitRejections.METADATA_BYTES);
            }
            throw new InvalidRequestException(errors);
        }
    }

    /** Whether the client's last change of the instance is newer than Beacon's copy (then it must register again). */
    static boolean isNewer(String clientDirty, String serverDirty) {
        if (clientDirty == null || serverDirty == null) {
            return false;
        }
        try {
            return Long.parseLong(clientDirty) > Long.parseLong(serverDirty);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static InstanceKey key(String app, String id) {
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
