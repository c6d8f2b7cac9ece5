package io.beacon.registration;

import io.beacon.web.ApiDocs;
import io.beacon.web.Headers;
import io.beacon.web.InvalidRequestException;
import io.beacon.web.InstanceView;

import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.security.Scope;
import io.beacon.security.ServiceAccess;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/** Register, heartbeat, deregister. */
@RestController
@Tag(name = "Registration", description = "Instances register, renew their lease and leave")
public class RegistrationController {

    private static final String INDEX_HEADER = Headers.INDEX;

    private final Registry registry;
    private final RegistrationService registrations;
    private final ServiceAccess access;

    public RegistrationController(Registry registry, RegistrationService registrations, ServiceAccess access) {
        this.registry = registry;
        this.registrations = registrations;
        this.access = access;
    }

    /** A heartbeat's optional body. @param inflight requests the instance is serving right now */
    public record HeartbeatRequest(Integer inflight) {
    }

    @Operation(summary = "Register an instance",
            description = "Registers an instance, or replaces a registered one with the same id (default "
                    + "`address:port`). Repeating an identical registration renews the lease.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = RegistrationRequest.class),
                            examples = @ExampleObject(name = "http-check", value = ApiDocs.REGISTRATION_EXAMPLE))))
    @ApiResponse(responseCode = "201", description = "Registered a new instance; Location names it",
            headers = @Header(name = INDEX_HEADER, description = "The service's index after the change",
                    schema = @Schema(type = "integer", format = "int64")))
    @ApiResponse(responseCode = "200", description = "Replaced or renewed an instance with the same id",
            headers = @Header(name = INDEX_HEADER, description = "The service's index after the change",
                    schema = @Schema(type = "integer", format = "int64")))
    @ApiResponse(responseCode = "400", description = "Invalid or malformed registration; `errors` names each field",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = {@ExampleObject(name = "invalid", value = ApiDocs.INVALID_EXAMPLE),
                        @ExampleObject(name = "malformed", value = ApiDocs.MALFORMED_EXAMPLE)}))
    @ApiResponse(responseCode = "409", description = "A new instance would pass a capacity limit "
            + "(`beacon.limits.max-instances-per-service`, `max-services`, `max-instances`); `limit` and `value` "
            + "name it. A known id is never refused")
    @PostMapping(path = "/register", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<InstanceView> register(@RequestBody RegistrationRequest request) {
        Registry.Registration result = registerAllowed(request);
        Instance i = result.instance();
        ResponseEntity.BodyBuilder response = result.created() ? ResponseEntity.created(location(i)) : ResponseEntity.ok();
        return response.header(INDEX_HEADER, Long.toString(result.index())).body(InstanceView.of(i));
    }

    /** Registers after checking the caller may register the instance ({@link RegisterRoute} too). */
    Registry.Registration registerAllowed(RegistrationRequest request) {
        if (ServiceName.isValid(request.name())) { // an invalid name is refused by validation, changing nothing
            ServiceName service = ServiceName.of(request.name());
            if (request.id() != null || (request.address() != null && request.port() != null)) {
                access.require(Scope.REGISTER, new InstanceKey(service, Instance.idOf(request.id(), request.address(),
                        request.port() == null ? 0 : request.port())));
            } else {
                access.require(Scope.REGISTER, service);
            }
        }
        return registrations.register(request);
    }

    /** Where a new instance is read: its {@code Location}. */
    static URI location(Instance i) {
        return URI.create("/services/" + i.service().value() + "/instances/"
                + UriUtils.encodePathSegment(i.id(), StandardCharsets.UTF_8));
    }

    @Operation(summary = "Renew an instance's lease",
            description = "Renews the lease; a STALE instance turns UP again. The optional body reports the "
                    + "requests the instance is serving, for least-connections balancing.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = HeartbeatRequest.class),
                            examples = @ExampleObject(value = "{\"inflight\":3}"))))
    @ApiResponse(responseCode = "200", description = "Lease renewed",
            headers = @Header(name = INDEX_HEADER, description = "The service's index",
                    schema = @Schema(type = "integer", format = "int64")))
    @ApiResponse(responseCode = "400", description = "Invalid service name or `inflight`")
    @ApiResponse(responseCode = "404", description = "Not registered (evicted or never registered): register again")
    @PutMapping(path = "/heartbeat/{name}/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<HeartbeatResponse> heartbeat(
            @Parameter(description = "Service name (case-insensitive)", example = "orders") @PathVariable String name,
            @Parameter(description = "Instance id", example = "10.0.0.5:8080") @PathVariable String id,
            @RequestBody(required = false) HeartbeatRequest body) {
        OptionalInt inflight = OptionalInt.empty();
        if (body != null && body.inflight() != null) {
            if (body.inflight() < 0) {
                throw new InvalidRequestException("inflight", "must be zero or more");
            }
            inflight = OptionalInt.of(body.inflight());
        }
        InstanceKey key = new InstanceKey(ServiceName.of(name), id);
        Instance renewed = registrations.renew(key, inflight);
        return ResponseEntity.ok().header(INDEX_HEADER, Long.toString(registry.index(key.service())))
                .body(HeartbeatResponse.of(renewed));
    }

    @Operation(summary = "Deregister an instance", description = "Removes the instance at once, e.g. on shutdown.")
    @ApiResponse(responseCode = "204", description = "Removed",
            headers = @Header(name = INDEX_HEADER, description = "The service's index after the change",
                    schema = @Schema(type = "integer", format = "int64")))
    @ApiResponse(responseCode = "400", description = "Invalid service name")
    @ApiResponse(responseCode = "404", description = "Not registered")
    @DeleteMapping("/deregister/{name}/{id}")
    public ResponseEntity<Void> deregister(
            @Parameter(description = "Service name (case-insensitive)", example = "orders") @PathVariable String name,
            @Parameter(description = "Instance id", example = "10.0.0.5:8080") @PathVariable String id) {
        InstanceKey key = new InstanceKey(ServiceName.of(name), id);
        registry.deregister(key).orElseThrow(() -> new InstanceNotFoundException(key));
        return ResponseEntity.noContent().header(INDEX_HEADER, Long.toString(registry.index(key.service()))).build();
    }
}
