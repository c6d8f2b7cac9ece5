package io.beacon.prometheus;

import io.beacon.web.ApiDocs;
import io.beacon.web.InvalidRequestException;
import io.beacon.web.Violation;
import io.beacon.registry.Instance;
import io.beacon.registry.Registry;
import io.beacon.registry.RegistryVersion;
import io.beacon.registry.SharedAnswer;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prometheus HTTP service discovery ({@code http_sd_configs}): {@code GET /prometheus/targets[?name=X]}
 * answers a list of target groups with every discoverable (UP, not ejected) instance.
 *
 * <p>Prometheus labels belong to a target group, and instance id, zone, version, tags and metadata
 * differ per instance, so each instance is its own group with one target {@code host:port}. Labels:
 * {@code __meta_beacon_service}, {@code __meta_beacon_instance_id}, {@code __meta_beacon_zone} and
 * {@code __meta_beacon_version} (when set), {@code __meta_beacon_tags} (comma-joined with a leading
 * and trailing comma, as Consul SD does, so {@code .*,web,.*} matches a tag), and
 * {@code __meta_beacon_metadata_<key>} with the key's characters outside {@code [a-zA-Z0-9_]} turned
 * into {@code _} (the first key in sorted order wins when two keys sanitise alike).
 * An unknown service gives an empty list.
 *
 * <p>The unfiltered answer is built once per registry change and shared by the readers of that change
 * ({@link SharedAnswer}); a scrape of a large registry keeps one copy in memory, not one per request.
 */
@RestController
@Tag(name = "Prometheus", description = "Prometheus HTTP service discovery (`http_sd_configs`)")
class PrometheusTargetsController {

    static final String PREFIX = "__meta_beacon_";
    private static final Set<String> PARAMS = Set.of("name");

    private static final String TARGETS_EXAMPLE = """
            [{"targets":["10.0.0.5:8080"],"labels":{"__meta_beacon_service":"orders",\
            "__meta_beacon_instance_id":"10.0.0.5:8080","__meta_beacon_zone":"eu-west-1a",\
            "__meta_beacon_version":"1.4.2","__meta_beacon_tags":",http,blue,",\
            "__meta_beacon_metadata_team":"payments"}}]""";

    private static final String UNKNOWN_PARAMETER_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'service': is not a parameter of /prometheus/targets; use 'name'",\
            "instance":"/prometheus/targets","errors":[{"field":"service",\
            "message":"is not a parameter of /prometheus/targets; use 'name'"}]}""";

    private final Registry registry;
    private final RegistryVersion version;
    private final JsonMapper json;
    private final SharedAnswer<byte[]> all = new SharedAnswer<>();

    PrometheusTargetsController(Registry registry, RegistryVersion version, JsonMapper json) {
        this.registry = registry;
        this.version = version;
        this.json = json;
    }

    /** One Prometheus target group. */
    record TargetGroup(List<String> targets, Map<String, String> labels) {
    }

    @Operation(summary = "Prometheus scrape targets",
            description = "Every discoverable (UP, not ejected) instance as its own target group `host:port`, "
                    + "labelled `__meta_beacon_service`, `__meta_beacon_instance_id`, `__meta_beacon_zone`, "
                    + "`__meta_beacon_version`, `__meta_beacon_tags` (comma-joined with a leading and trailing "
                    + "comma) and `__meta_beacon_metadata_<key>` (characters outside `[a-zA-Z0-9_]` become `_`). "
                    + "An unknown service gives an empty list.")
    @ApiResponse(responseCode = "200", description = "Target groups",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    array = @ArraySchema(schema = @Schema(implementation = TargetGroup.class)),
                    examples = @ExampleObject(value = TARGETS_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "An unknown parameter or an invalid service name",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = {@ExampleObject(name = "unknown-parameter", value = UNKNOWN_PARAMETER_EXAMPLE),
                        @ExampleObject(name = "name", value = ApiDocs.INVALID_NAME_EXAMPLE)}))
    @GetMapping(path = "/prometheus/targets", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> targets(
            @Parameter(description = "Only this service's instances (default: every service)", example = "orders")
            @RequestParam(required = false) String name,
            @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> params) {
        List<Violation> errors = new ArrayList<>();
        for (String p : params.keySet()) {
            if (!PARAMS.contains(p)) {
                errors.add(new Violation(p, "is not a parameter of /prometheus/targets; use 'name'"));
            }
        }
        if (params.getOrDefault("name", List.of()).size() > 1) {
            errors.add(new Violation("name", "may be given once"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        // an invalid name is the "Invalid service name" problem of every other endpoint
        byte[] body;
        if (name == null) {
            long v = version.get();
            body = all.get(v, () -> json.writeValueAsBytes(groups(registry.services())));
        } else {
            body = json.writeValueAsBytes(groups(List.of(registry.service(ServiceName.of(name)))));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /** Builds of the unfiltered answer so far. */
    long builds() {
        return all.builds();
    }

    private static List<TargetGroup> groups(List<ServiceSnapshot> services) {
        List<TargetGroup> groups = new ArrayList<>();
        for (ServiceSnapshot service : services) {
            for (Instance i : service.discoverable()) {
                groups.add(group(i));
            }
        }
        return groups;
    }

    static TargetGroup group(Instance i) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(PREFIX + "service", i.service().value());
        labels.put(PREFIX + "instance_id", i.id());
        if (i.zone() != null) {
            labels.put(PREFIX + "zone", i.zone());
        }
        if (i.version() != null) {
            labels.put(PREFIX + "version", i.version());
        }
        if (!i.tags().isEmpty()) {
            labels.put(PREFIX + "tags", "," + String.join(",", i.tags()) + ",");
        }
        new TreeMap<>(i.metadata()).forEach((k, v) -> labels.putIfAbsent(PREFIX + "metadata_" + sanitise(k), v));
        return new TargetGroup(List.of(target(i.address(), i.port())), labels);
    }

    /** A label-name-safe form of {@code key}: characters outside {@code [a-zA-Z0-9_]} become {@code _}. */
    static String sanitise(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int j = 0; j < key.length(); j++) {
            char c = key.charAt(j);
            sb.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        return sb.toString();
    }

    static String target(String address, int port) {
        boolean ipv6 = address.indexOf(':') >= 0 && !address.startsWith("[");
        return (ipv6 ? "[" + address + "]" : address) + ":" + port;
    }
}
