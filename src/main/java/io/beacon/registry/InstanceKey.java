package io.beacon.registry;

import java.util.Objects;

/** Identifies one instance: its service and its id within the service. */
public record InstanceKey(ServiceName service, String id) {

    public InstanceKey {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(id, "id");
    }

    public static InstanceKey of(String service, String id) {
        return new InstanceKey(ServiceName.of(service), id);
    }

    @Override
    public String toString() {
        return service + "/" + id;
    }
}
