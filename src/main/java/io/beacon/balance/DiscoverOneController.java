package io.beacon.balance;

import io.beacon.web.Headers;

import io.beacon.web.ApiDocs;
import io.beacon.discovery.DiscoveryQuery;
import io.beacon.web.InstanceView;
import io.beacon.web.InvalidRequestException;
import io.beacon.registration.RegistrationController;
import io.beacon.web.Violation;
import io.beacon.registry.Instance;
import io.beacon.registry.ServiceSnapshot;
import io.beacon.registry.Registry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /discover/one}: one instance chosen by a load-balancing strategy, with the filters of
 * {@code /discover} plus {@code strategy}, {@code key} (consistent hashing) and {@code prefer_zone}.
 */
@RestController
@Tag(name = "Load balancing", description = "Pick one instance of a service by a balancing strategy")
public class DiscoverOneController {

    private static final Set<String> EXTRA = Set.of("strategy", "key", "prefer_zone");

    private static final String STRATEGY_INVALID_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'strategy': 'fastest' is not one of consistent_hash, least_connections, random, \
            round_robin, weighted","instance":"/discover/one","errors":[{"field":"strategy","message":"'fastest' \
            is not one of consistent_hash, least_connections, random, round_robin, weighted"}]}""";

    private static final String KEY_MISSING_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'key': is required for strategy consistent_hash","instance":"/discover/one",\
            "errors":[{"field":"key","message":"is required for strategy consistent_hash"}]}""";

    private static final String NO_INSTANCE_EXAMPLE = """
            {"type":"about:blank","title":"No instance available","status":404,\
            "detail":"Service 'orders' has no available instance matching the query. \
            GET /discover?name=orders&status=ANY lists every instance.","instance":"/discover/one"}""";

    private final Registry registry;
    private final LoadBalancer balancer;

    public DiscoverOneController(Registry registry, LoadBalancer balancer) {
        this.registry = registry;
        this.balancer = balancer;
    }

    @Operation(summary = "Pick one instance of a service",
            description = "Applies the filters of `GET /discover`, then picks one matching instance with the "
                    + "requested strategy, else the service's policy strategy, else the configured default. "
                    + "Unknown parameters are rejected.")
    @Parameter(name = "name", in = ParameterIn.QUERY, required = true, description = "Service name",
            example = "orders")
    @Parameter(name = "strategy", in = ParameterIn.QUERY, description = "Balancing strategy: consistent_hash, "
            + "least_connections, random, round_robin or weighted (default: the service's policy, then "
            + "`beacon.balance.default-strategy`)", example = "round_robin")
    @Parameter(name = "key", in = ParameterIn.QUERY, description = "Hash key (e.g. a user or session id); "
            + "required with consistent_hash: the same key picks the same instance while it is available",
            example = "user-4711")
    @Parameter(name = "prefer_zone", in = ParameterIn.QUERY, description = "Zone to pick from when it has a "
            + "matching instance; otherwise any zone", example = "eu-west-1a")
    @Parameter(name = "tag", in = ParameterIn.QUERY, description = "Tag every instance carries; repeatable",
            array = @ArraySchema(schema = @Schema(type = "string", example = "blue")))
    @Parameter(name = "zone", in = ParameterIn.QUERY, description = "Required zone", example = "eu-west-1a")
    @Parameter(name = "version", in = ParameterIn.QUERY, description = "Required version", example = "1.4.2")
    @Parameter(name = "status", in = ParameterIn.QUERY,
            description = "Statuses to include, comma-separated: UP, DOWN, STARTING, STALE, OUT_OF_SERVICE or ANY",
            example = "UP")
    @Parameter(name = "meta.KEY", in = ParameterIn.QUERY,
            description = "Metadata entry every instance carries, e.g. `meta.team=payments`", example = "payments")
    @ApiResponse(responseCode = "200", description = "The picked instance",
            headers = @Header(name = Headers.INDEX, description = "The service's index",
                    schema = @Schema(type = "integer", format = "int64")))
    @ApiResponse(responseCode = "400", description = "Missing `name` or `key`, an unknown parameter or strategy, "
            + "or an invalid value; `errors` names each parameter",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = {@ExampleObject(name = "strategy", value = STRATEGY_INVALID_EXAMPLE),
                        @ExampleObject(name = "key", value = KEY_MISSING_EXAMPLE)}))
    @ApiResponse(responseCode = "404", description = "No available instance matches the query",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = NO_INSTANCE_EXAMPLE)))
    @GetMapping("/discover/one")
    public ResponseEntity<InstanceView> one(
            @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> params) {
        DiscoveryQuery query = DiscoveryQuery.parse(params, EXTRA);
        List<Violation> errors = new ArrayList<>();
        String strategyName = DiscoveryQuery.single(params, "strategy", errors);
        String key = DiscoveryQuery.single(params, "key", errors);
        String preferZone = DiscoveryQuery.single(params, "prefer_zone", errors);
        Strategy requested = null;
        if (strategyName != null) {
            requested = Strategy.parse(strategyName).orElse(null);
            if (requested == null) {
                errors.add(new Violation("strategy", "'" + strategyName + "' is not one of " + Strategy.names()));
            }
        }
        if (preferZone != null && preferZone.isBlank()) {
            errors.add(new Violation("prefer_zone", "must not be empty"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        Strategy strategy = balancer.strategyFor(query.name(), requested);
        if (strategy.requiresKey() && (key == null || key.isEmpty())) {
            throw new InvalidRequestException("key", "is required for strategy consistent_hash");
        }
        ServiceSnapshot snapshot = registry.service(query.name());
        Instance picked = balancer.pick(snapshot, query, strategy, key, preferZone)
                .orElseThrow(() -> new NoInstanceAvailableException(query.name()));
        return ResponseEntity.ok().header(Headers.INDEX, Long.toString(snapshot.index()))
                .body(InstanceView.of(picked));
    }
}
