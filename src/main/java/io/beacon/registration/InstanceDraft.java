package io.beacon.registration;

import io.beacon.registry.InstanceStatus;
import java.util.List;
import java.util.Map;

/**
 * An instance as a client asks to register it, before any rule is checked: what the native
 * {@code POST /register} body and a Eureka registration have in common. {@link RegistrationService}
 * validates it with {@link RegistrationValidator} and registers the result, whichever protocol it came from.
 *
 * <p>Zone and version: the {@code zone} and {@code version} fields win; when one is absent, the metadata
 * entry of the same name is used, and the metadata entries stay in the metadata as sent.
 *
 * @param name service name (case-insensitive)
 * @param address IP literal or host name
 * @param port 1..65535
 * @param id instance id; {@code address:port} when null
 * @param metadata string map, or null
 * @param tags labels, or null
 * @param zone availability zone, or null (then metadata {@code zone})
 * @param version software version, or null (then metadata {@code version})
 * @param weight 1..1000, or null for 100
 * @param leaseSeconds lease duration, within {@code beacon.lease.min-duration..max-duration}; null for the default
 * @param check an active health check, or null
 * @param reported the status the instance reports; null for UP
 * @param override an operator override to start with (Eureka's {@code overriddenStatus}), or null
 * @param attributes protocol attributes to keep for round-tripping, or null
 * @param fieldNames the protocol's name of a field in violations, by Beacon's name (for example
 *     {@code name -> app}); fields not in the map keep Beacon's name
 */
public record InstanceDraft(String name, String address, Integer port, String id, Map<String, String> metadata,
        List<String> tags, String zone, String version, Integer weight, Integer leaseSeconds,
        RegistrationRequest.CheckRequest check, InstanceStatus reported, InstanceStatus override,
        Map<String, String> attributes, Map<String, String> fieldNames) {

    public InstanceDraft {
        fieldNames = fieldNames == null ? Map.of() : Map.copyOf(fieldNames);
    }

    /** The draft of a native registration body. */
    public static InstanceDraft of(RegistrationRequest r) {
        return new InstanceDraft(r.name(), r.address(), r.port(), r.id(), r.metadata(), r.tags(), r.zone(),
                r.version(), r.weight(), r.leaseSeconds(), r.check(), null, null, null, null);
    }
}
