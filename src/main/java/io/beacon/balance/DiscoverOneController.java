package io.beacon.balance;

import io.beacon.api.DiscoveryQuery;
import io.beacon.api.InstanceView;
import io.beacon.api.InvalidRequestException;
import io.beacon.api.RegistrationController;
import io.beacon.api.Violation;
import io.beacon.registry.Instance;
import io.beacon.registry.ServiceSnapshot;
import io.beacon.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
public class DiscoverOneController {

    private static final Set<String> EXTRA = Set.of("strategy", "key", "prefer_zone");

    private final Registry registry;
    private final LoadBalancer balancer;

    public DiscoverOneController(Registry registry, LoadBalancer balancer) {
        this.registry = registry;
        this.balancer = balancer;
    }

    @GetMapping("/discover/one")
    public ResponseEntity<InstanceView> one(@RequestParam MultiValueMap<String, String> params) {
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
        return ResponseEntity.ok().header(RegistrationController.INDEX_HEADER, Long.toString(snapshot.index()))
                .body(InstanceView.of(picked));
    }
}
