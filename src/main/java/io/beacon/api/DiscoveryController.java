package io.beacon.api;

import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Discovery and the catalog. */
@RestController
public class DiscoveryController {

    /** Header set to {@code true} when discovery answered in panic mode. */
    public static final String PANIC_HEADER = "X-Beacon-Panic";

    private final Registry registry;
    private final PanicMode panicMode;

    public DiscoveryController(Registry registry, Optional<PanicMode> panicMode) {
        this.registry = registry;
        this.panicMode = panicMode.orElse(s -> false);
    }

    @GetMapping("/discover")
    public ResponseEntity<Responses.Discovery> discover(@RequestParam MultiValueMap<String, String> params) {
        DiscoveryQuery query = DiscoveryQuery.parse(params, Set.of());
        ServiceSnapshot snapshot = registry.service(query.name());
        boolean panic = query.statuses().isEmpty() && panicMode.test(snapshot);
        ResponseEntity.BodyBuilder response = withIndex(snapshot.index());
        if (panic) {
            response.header(PANIC_HEADER, "true");
        }
        return response.body(Responses.Discovery.of(query.name().value(), query.select(snapshot, panic),
                snapshot.index(), panic));
    }

    @GetMapping("/services")
    public Responses.Catalog catalog() {
        List<Responses.ServiceSummary> services = registry.services().stream().map(s -> {
            Map<String, Long> statuses = new LinkedHashMap<>();
            for (InstanceStatus status : InstanceStatus.values()) {
                statuses.put(status.name(), s.count(status));
            }
            return new Responses.ServiceSummary(s.name().value(), s.instances().size(), statuses, s.index());
        }).toList();
        return new Responses.Catalog(services, services.size());
    }

    @GetMapping("/services/{name}")
    public ResponseEntity<Responses.ServiceDetail> service(@PathVariable String name) {
        ServiceName service = ServiceName.of(name);
        ServiceSnapshot snapshot = registry.service(service);
        if (snapshot.isEmpty()) {
            throw new UnknownServiceException(service);
        }
        return withIndex(snapshot.index()).body(new Responses.ServiceDetail(service.value(),
                InstanceView.of(snapshot.instances()), snapshot.instances().size(), snapshot.index()));
    }

    @GetMapping("/services/{name}/instances/{id}")
    public ResponseEntity<InstanceView> instance(@PathVariable String name, @PathVariable String id) {
        InstanceKey key = new InstanceKey(ServiceName.of(name), id);
        Instance instance = registry.get(key).orElseThrow(() -> new InstanceNotFoundException(key));
        return withIndex(registry.index(key.service())).body(InstanceView.of(instance));
    }

    private static ResponseEntity.BodyBuilder withIndex(long index) {
        return ResponseEntity.ok().header(RegistrationController.INDEX_HEADER, Long.toString(index));
    }

    /** A service with no registered instance, where the resource needs one; answered 404. */
    public static class UnknownServiceException extends RuntimeException {
        public UnknownServiceException(ServiceName name) {
            super("Service '" + name + "' has no registered instances.");
        }
    }
}
