package io.beacon.policy;

import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.web.ApiDocs;
import io.beacon.web.Headers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /services/{name}/policy}: balancing strategy, version split and outlier thresholds of a service.
 * Every answer carries the service's {@code X-Beacon-Index} (a policy change does not move it: the index
 * counts instance changes).
 */
@RestController
@Tag(name = "Policy", description = "Per-service balancing strategy, version split and outlier thresholds")
public class PolicyController {

    private static final String POLICY_INVALID_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'strategy': must be one of consistent_hash, least_connections, random, round_robin, \
            weighted","instance":"/services/orders/policy","errors":[{"field":"strategy","message":"must be one \
            of consistent_hash, least_connections, random, round_robin, weighted"}]}""";

    private static final String INDEX_DESCRIPTION = "The service's index (0 for a service never registered)";

    private final PolicyStore store;
    private final Registry registry;

    public PolicyController(PolicyStore store, Registry registry) {
        this.store = store;
        this.registry = registry;
    }

    private ResponseEntity.BodyBuilder indexed(ServiceName service, ResponseEntity.BodyBuilder response) {
        return response.header(Headers.INDEX, Long.toString(registry.index(service)));
    }

    @Operation(summary = "Show a service's policy",
            description = "The policy set for the service; `{}` when none is set (configured defaults apply).")
    @ApiResponse(responseCode = "200", description = "The policy",
            headers = @Header(name = Headers.INDEX, description = INDEX_DESCRIPTION,
                    schema = @Schema(type = "integer", format = "int64")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ServicePolicy.class),
                    examples = @ExampleObject(value = ApiDocs.POLICY_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "Invalid service name",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = ApiDocs.INVALID_NAME_EXAMPLE)))
    @GetMapping("/services/{name}/policy")
    public ResponseEntity<ServicePolicy> get(
            @Parameter(description = "Service name (case-insensitive)", example = "orders") @PathVariable String name) {
        ServiceName service = ServiceName.of(name);
        return indexed(service, ResponseEntity.ok()).body(store.get(service));
    }

    @Operation(summary = "Set a service's policy",
            description = "Replaces the service's policy. Every field is optional; an absent one falls back to "
                    + "the configured default. The service need not have instances yet.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = ServicePolicy.class),
                            examples = @ExampleObject(name = "canary", value = ApiDocs.POLICY_EXAMPLE))))
    @ApiResponse(responseCode = "200", description = "The policy as stored",
            headers = @Header(name = Headers.INDEX, description = INDEX_DESCRIPTION,
                    schema = @Schema(type = "integer", format = "int64")))
    @ApiResponse(responseCode = "400", description = "Invalid name or policy; `errors` names each field",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = {@ExampleObject(name = "invalid", value = POLICY_INVALID_EXAMPLE),
                        @ExampleObject(name = "name", value = ApiDocs.INVALID_NAME_EXAMPLE)}))
    @PutMapping(path = "/services/{name}/policy", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ServicePolicy> put(
            @Parameter(description = "Service name (case-insensitive)", example = "orders") @PathVariable String name,
            @RequestBody ServicePolicy policy) {
        ServiceName service = ServiceName.of(name);
        PolicyValidator.validate(policy);
        store.put(service, policy);
        return indexed(service, ResponseEntity.ok()).body(policy);
    }

    @Operation(summary = "Remove a service's policy", description = "Idempotent: removing no policy is fine.")
    @ApiResponse(responseCode = "204", description = "No policy is set any more",
            headers = @Header(name = Headers.INDEX, description = INDEX_DESCRIPTION,
                    schema = @Schema(type = "integer", format = "int64")))
    @ApiResponse(responseCode = "400", description = "Invalid service name",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = ApiDocs.INVALID_NAME_EXAMPLE)))
    @DeleteMapping("/services/{name}/policy")
    public ResponseEntity<Void> delete(
            @Parameter(description = "Service name (case-insensitive)", example = "orders") @PathVariable String name) {
        ServiceName service = ServiceName.of(name);
        store.remove(service);
        return ResponseEntity.noContent().header(Headers.INDEX, Long.toString(registry.index(service))).build();
    }
}
