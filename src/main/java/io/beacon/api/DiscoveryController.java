package io.beacon.api;

import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import io.beacon.watch.BlockingParams;
import io.beacon.watch.LongPolls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/** Discovery and the catalog. */
@RestController
public class DiscoveryController {

    private final Registry registry;
    private final LongPolls longPolls;

    public DiscoveryController(Registry registry, LongPolls longPolls) {
        this.registry = registry;
        this.longPolls = longPolls;
    }

    @GetMapping("/discover")
    public ResponseEntity<Responses.Discovery> discover(@RequestParam MultiValueMap<String, String> params) {
        DiscoveryQuery query = DiscoveryQuery.parse(params, BlockingParams.NAMES);
        BlockingParams.parse(params, longPolls.defaultWait());
        return discovery(query);
    }

    /** Blocking discovery: {@code index} present, held until the service changes or {@code wait} elapses. */
    @GetMapping(path = "/discover", params = "index")
    public DeferredResult<ResponseEntity<Responses.Discovery>> awaitDiscover(
            @RequestParam MultiValueMap<String, String> params) {
        DiscoveryQuery query = DiscoveryQuery.parse(params, BlockingParams.NAMES);
        BlockingParams blocking = BlockingParams.parse(params, longPolls.defaultWait());
        return longPolls.await(query.name(), blocking, () -> discovery(query));
    }

    private ResponseEntity<Responses.Discovery> discovery(DiscoveryQuery query) {
        ServiceSnapshot snapshot = registry.service(query.name());
        return withIndex(snapshot.index())
                .body(Responses.Discovery.of(query.name().value(), query.select(snapshot), snapshot.index()));
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
