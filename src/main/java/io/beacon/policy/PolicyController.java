package io.beacon.policy;

import io.beacon.registry.ServiceName;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /services/{name}/policy}: balancing strategy, version split and outlier thresholds of a service. */
@RestController
public class PolicyController {

    private final PolicyStore store;

    public PolicyController(PolicyStore store) {
        this.store = store;
    }

    @GetMapping("/services/{name}/policy")
    public ServicePolicy get(@PathVariable String name) {
        return store.get(ServiceName.of(name));
    }

    @PutMapping(path = "/services/{name}/policy", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ServicePolicy put(@PathVariable String name, @RequestBody ServicePolicy policy) {
        ServiceName service = ServiceName.of(name);
        PolicyValidator.validate(policy);
        store.put(service, policy);
        return policy;
    }

    @DeleteMapping("/services/{name}/policy")
    public ResponseEntity<Void> delete(@PathVariable String name) {
        store.remove(ServiceName.of(name));
        return ResponseEntity.noContent().build();
    }
}
