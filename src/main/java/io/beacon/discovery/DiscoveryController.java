package io.beacon.discovery;

import io.beacon.web.ApiDocs;
import io.beacon.web.InstanceView;
import io.beacon.web.StatusFacts;
import io.beacon.web.Headers;
import io.beacon.web.ServiceNotFoundException;

import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.registry.RegistryVersion;
import io.beacon.registry.SharedAnswer;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import io.beacon.discovery.BlockingParams;
import io.beacon.discovery.LongPolls;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.web.bind.annotation.RestController;

/** Discovery and the catalog. */
@RestController
@Tag(name = "Discovery", description = "Find instances of a service; browse the catalog")
public class DiscoveryController {

    private static final String DISCOVER_INVALID_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'zones': is not a known parameter; allowed: name, tag, zone, version, status, meta.KEY",\
            "instance":"/discover","errors":[{"field":"zones","message":"is not a known parameter; allowed: name, \
            tag, zone, version, status, meta.KEY"}]}""";

    /** Header set to {@code true} when discovery answered in panic mode. */
    public static final String PANIC_HEADER = "X-Beacon-Panic";

    private final Registry registry;
    private final PanicMode panicMode;
    private final LongPolls longPolls;
    private final DiscoveryCache cache;
    private final RegistryVersion registryVersion;
    private final JsonMapper json;
    private final SharedAnswer<byte[]> catalog = new SharedAnswer<>();
    private final List<StatusFacts.Source> statusFacts;

    public DiscoveryController(Registry registry, Optional<PanicMode> panicMode, LongPolls longPolls,
            DiscoveryCache cache, RegistryVersion registryVersion, JsonMapper json,
            List<StatusFacts.Source> statusFacts) {
        this.statusFacts = List.copyOf(statusFacts);
        this.registry = registry;
        this.registryVersion = registryVersion;
        this.json = json;
        this.panicMode = panicMode.orElse(s -> false);
        this.longPolls = longPolls;
        this.cache = cache;
    }

    @Operation(summary = "Discover instances of a service",
            description = "Returns the service's instances that match every filter. Without `status`, only "
                    + "discoverable instances (UP, not ejected) are returned. Unknown parameters are rejected.")
    @Parameter(name = "name", in = ParameterIn.QUERY, required = true, description = "Service name",
            example = "orders")
    @Parameter(name = "tag", in = ParameterIn.QUERY, description = "Tag every instance carries; repeatable",
            array = @ArraySchema(schema = @Schema(type = "string", example = "blue")))
    @Parameter(name = "zone", in = ParameterIn.QUERY, description = "Required zone", example = "eu-west-1a")
    @Parameter(name = "version", in = ParameterIn.QUERY, description = "Required version", example = "1.4.2")
    @Parameter(name = "status", in = ParameterIn.QUERY,
            description = "Statuses to include, comma-separated: UP, DOWN, STARTING, STALE, OUT_OF_SERVICE or ANY",
            example = "UP,STALE")
    @Parameter(name = "meta.KEY", in = ParameterIn.QUERY,
            description = "Metadata entry every instance carries, e.g. `meta.team=payments`", example = "payments")
    @Parameter(name = "index", in = ParameterIn.QUERY, description = "Blocking query: hold the request until "
            + "the service's index differs from this value (or `wait` elapses)", example = "42")
    @Parameter(name = "wait", in = ParameterIn.QUERY, description = "Longest hold of a blocking query, e.g. "
            + "`500ms`, `30s`, `2m` (default 30s, capped by beacon.watch.max-wait, plus a small jitter)",
            example = "30s")
    @ApiResponse(responseCode = "200", description = "Matching instances and the service's index (also in "
            + "the `X-Beacon-Index` header); an unknown service gives an empty list",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = Responses.Discovery.class)))
    @ApiResponse(responseCode = "400", description = "Missing `name`, an unknown parameter or an invalid value",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = DISCOVER_INVALID_EXAMPLE)))
    @GetMapping("/discover")
    public ResponseEntity<?> discover(
            @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> params) {
        DiscoveryQuery query = DiscoveryQuery.parse(params, BlockingParams.NAMES);
        BlockingParams.parse(params, longPolls.defaultWait());
        if (!query.isPlain()) {
            return discovery(query);
        }
        DiscoveryCache.Answer answer = plainAnswer(query);
        ResponseEntity.BodyBuilder response = withIndex(answer.index()).contentType(MediaType.APPLICATION_JSON);
        if (answer.panic()) {
            response.header(PANIC_HEADER, "true");
        }
        return response.body(answer.body());
    }

    /** The answer of a plain query (no filters): the cached bytes, built and cached after a change. */
    DiscoveryCache.Answer plainAnswer(DiscoveryQuery query) {
        return cache.get(query.name(), () -> discovery(query).getBody());
    }

    /** Blocking discovery: {@code index} present, held until the service changes or {@code wait} elapses. */
    @Operation(hidden = true)
    @GetMapping(path = "/discover", params = "index")
    public void awaitDiscover(@RequestParam MultiValueMap<String, String> params, HttpServletRequest request,
            HttpServletResponse response) {
        DiscoveryQuery query = DiscoveryQuery.parse(params, BlockingParams.NAMES);
        BlockingParams blocking = BlockingParams.parse(params, longPolls.defaultWait());
        // the response parameter tells Spring MVC the handler writes it: LongPolls answers the held request
        longPolls.await(query, blocking, query.isPlain() ? () -> sharedAnswer(query)
                : () -> LongPollAnswer.of(discovery(query), json), request);
    }

    /**
     * A plain query's answer for a long poll: the discovery cache's bytes, shared with {@code GET /discover}
     * and every other poll of the service, so a thousand polls timing out hold one copy of a large answer. A
     * poll woken by a change the cache has not been told of yet (its index is behind the service's) gets an
     * answer of its own instead: a woken poll always sees the change that woke it.
     */
    private LongPollAnswer sharedAnswer(DiscoveryQuery query) {
        long index = registry.index(query.name());
        DiscoveryCache.Answer answer = cache.get(query.name(), () -> discovery(query).getBody());
        if (answer.index() < index) {
            return LongPollAnswer.of(discovery(query), json);
        }
        return LongPollAnswer.of(answer);
    }

    private ResponseEntity<Responses.Discovery> discovery(DiscoveryQuery query) {
        ServiceSnapshot snapshot = registry.service(query.name());
        boolean panic = query.statuses().isEmpty() && panicMode.test(snapshot);
        ResponseEntity.BodyBuilder response = withIndex(snapshot.index());
        if (panic) {
            response.header(PANIC_HEADER, "true");
        }
        return response.body(Responses.Discovery.of(query.name().value(), query.select(snapshot, panic),
                snapshot.index(), panic));
    }

    @Operation(summary = "List services", description = "Every service with at least one instance, with "
            + "instance counts by status and its index.")
    @ApiResponse(responseCode = "200", description = "The catalog", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = Responses.Catalog.class)))
    @GetMapping(path = "/services", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> catalog() {
        long version = registryVersion.get();
        byte[] body = catalog.get(version, () -> json.writeValueAsBytes(buildCatalog()));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /** The catalog, built once per registry change and shared by the readers of that change. */
    private Responses.Catalog buildCatalog() {
        List<Responses.ServiceSummary> services = registry.services().stream().map(s -> {
            Map<String, Long> statuses = new LinkedHashMap<>();
            for (InstanceStatus status : InstanceStatus.values()) {
                statuses.put(status.name(), s.count(status));
            }
            return new Responses.ServiceSummary(s.name().value(), s.instances().size(), statuses, s.index());
        }).toList();
        return new Responses.Catalog(services, services.size());
    }

    @Operation(summary = "Show a service", description = "Every instance of the service, whatever its status.")
    @ApiResponse(responseCode = "200", description = "The service's instances")
    @ApiResponse(responseCode = "400", description = "Invalid service name")
    @ApiResponse(responseCode = "404", description = "The service has no instances")
    @GetMapping("/services/{name}")
    public ResponseEntity<Responses.ServiceDetail> service(
            @Parameter(description = "Service name (case-insensitive)", example = "orders") @PathVariable String name) {
        ServiceName service = ServiceName.of(name);
        ServiceSnapshot snapshot = registry.service(service);
        if (snapshot.isEmpty()) {
            throw new ServiceNotFoundException(service);
        }
        return withIndex(snapshot.index()).body(new Responses.ServiceDetail(service.value(),
                Responses.views(snapshot.instances(), this::detailed), snapshot.instances().size(),
                snapshot.index()));
    }

    @Operation(summary = "Show an instance")
    @ApiResponse(responseCode = "200", description = "The instance")
    @ApiResponse(responseCode = "400", description = "Invalid service name")
    @ApiResponse(responseCode = "404", description = "Not registered")
    @GetMapping("/services/{name}/instances/{id}")
    public ResponseEntity<InstanceView> instance(
            @Parameter(description = "Service name (case-insensitive)", example = "orders") @PathVariable String name,
            @Parameter(description = "Instance id", example = "10.0.0.5:8080") @PathVariable String id) {
        InstanceKey key = new InstanceKey(ServiceName.of(name), id);
        Instance instance = registry.get(key).orElseThrow(() -> new InstanceNotFoundException(key));
        return withIndex(registry.index(key.service())).body(detailed(instance));
    }

    /** The catalog view of an instance: with the explanation of its status. */
    private InstanceView detailed(Instance instance) {
        return InstanceView.detailed(instance, StatusFacts.of(instance, statusFacts));
    }

    private static ResponseEntity.BodyBuilder withIndex(long index) {
        return ResponseEntity.ok().header(Headers.INDEX, Long.toString(index));
    }
}
