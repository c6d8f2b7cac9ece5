package io.beacon.registration;

import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.web.ApiDocs;
import io.beacon.web.Headers;
import io.beacon.web.InputRules;
import io.beacon.web.InstanceView;
import io.beacon.web.InvalidRequestException;
import io.beacon.web.Violation;
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
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * An operator's weight: {@code PUT /services/{name}/instances/{id}/weight} with {@code {"weight":50}} changes the
 * weight weighted balancing gives the instance, without a re-registration. It lasts until the instance
 * registers again, which brings the weight it registers with.
 */
@RestController
@Tag(name = "Drain", description = "Take an instance out of discovery without deregistering it")
public class WeightController {

    private static final String WEIGHT_INVALID_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'weight': must be between 1 and 1000","instance":\
            "/services/orders/instances/10.0.0.5:8080/weight","errors":[{"field":"weight",\
            "message":"must be between 1 and 1000"}]}""";

    private final Registry registry;
    private final Clock clock;

    public WeightController(Registry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** @param weight the new weight, 1 to 1000 */
    public record WeightRequest(Integer weight) {
    }

    @Operation(summary = "Set an instance's weight",
            description = "Changes the weight `weighted` balancing gives the instance (1 to 1000) until it registers "
                    + "again. Watchers see an `updated` event.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = WeightRequest.class),
                            examples = @ExampleObject(name = "weight", value = "{\"weight\":50}"))))
    @ApiResponse(responseCode = "200", description = "The instance with its new weight",
            headers = @Header(name = Headers.INDEX, description = "The service's index after the change",
                    schema = @Schema(type = "integer", format = "int64")))
    @ApiResponse(responseCode = "400", description = "Missing or out-of-range `weight`, invalid service name or "
            + "malformed body",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = {@ExampleObject(name = "invalid", value = WEIGHT_INVALID_EXAMPLE),
                        @ExampleObject(name = "name", value = ApiDocs.INVALID_NAME_EXAMPLE)}))
    @ApiResponse(responseCode = "404", description = "Not registered",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @PutMapping(path = "/services/{name}/instances/{id}/weight", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<InstanceView> weight(
            @Parameter(description = "Service name (case-insensitive)", example = "orders") @PathVariable String name,
            @Parameter(description = "Instance id", example = "10.0.0.5:8080") @PathVariable String id,
            @RequestBody WeightRequest request) {
        Integer weight = request == null ? null : request.weight();
        if (weight == null) {
            throw new InvalidRequestException("weight", "is required: an integer from 1 to 1000");
        }
        List<Violation> errors = new ArrayList<>();
        InputRules.range("weight", weight, 1, 1000, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        InstanceKey key = new InstanceKey(ServiceName.of(name), id);
        Instant now = clock.instant();
        Instance updated = registry.update(key, i -> i.withWeight(weight, now))
                .orElseThrow(() -> new InstanceNotFoundException(key));
        return ResponseEntity.ok().header(Headers.INDEX, Long.toString(registry.index(key.service())))
                .body(InstanceView.of(updated));
    }
}
