package io.beacon.api;

import io.beacon.metrics.RegistryMetrics;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import java.net.URI;
import java.time.Clock;
import java.util.OptionalInt;
import org.springframework.http.MediaType;
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
public class RegistrationController {

    /** Header carrying the service's index on every response that reads or changes a service. */
    public static final String INDEX_HEADER = "X-Beacon-Index";

    private final Registry registry;
    private final RegistrationValidator validator;
    private final RegistryMetrics metrics;
    private final Clock clock;

    public RegistrationController(Registry registry, RegistrationValidator validator, RegistryMetrics metrics,
            Clock clock) {
        this.registry = registry;
        this.validator = validator;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** A heartbeat's optional body. @param inflight requests the instance is serving right now */
    public record HeartbeatRequest(Integer inflight) {
    }

    @PostMapping(path = "/register", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<InstanceView> register(@RequestBody RegistrationRequest request) {
        Instance candidate = validator.toInstance(request, clock.instant());
        Registry.Registration result = registry.register(candidate, clock.instant());
        metrics.registered();
        Instance i = result.instance();
        ResponseEntity.BodyBuilder response = result.created()
                ? ResponseEntity.created(URI.create("/services/" + i.service().value() + "/instances/"
                        + UriUtils.encodePathSegment(i.id(), java.nio.charset.StandardCharsets.UTF_8)))
                : ResponseEntity.ok();
        return response.header(INDEX_HEADER, Long.toString(result.index())).body(InstanceView.of(i));
    }

    @PutMapping("/heartbeat/{name}/{id}")
    public ResponseEntity<Responses.Heartbeat> heartbeat(@PathVariable String name, @PathVariable String id,
            @RequestBody(required = false) HeartbeatRequest body) {
        OptionalInt inflight = OptionalInt.empty();
        if (body != null && body.inflight() != null) {
            if (body.inflight() < 0) {
                throw new InvalidRequestException("inflight", "must be zero or more");
            }
            inflight = OptionalInt.of(body.inflight());
        }
        InstanceKey key = new InstanceKey(ServiceName.of(name), id);
        Instance renewed;
        try {
            renewed = registry.heartbeat(key, clock.instant(), inflight);
        } catch (InstanceNotFoundException e) {
            metrics.heartbeatUnknown();
            throw e;
        }
        metrics.heartbeatAccepted();
        return ResponseEntity.ok().header(INDEX_HEADER, Long.toString(registry.index(key.service())))
                .body(Responses.Heartbeat.of(renewed));
    }

    @DeleteMapping("/deregister/{name}/{id}")
    public ResponseEntity<Void> deregister(@PathVariable String name, @PathVariable String id) {
        InstanceKey key = new InstanceKey(ServiceName.of(name), id);
        registry.deregister(key).orElseThrow(() -> new InstanceNotFoundException(key));
        return ResponseEntity.noContent().header(INDEX_HEADER, Long.toString(registry.index(key.service()))).build();
    }
}
