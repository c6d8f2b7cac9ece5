package io.beacon.policy;

import io.beacon.registry.ServiceName;

/** Published after a service's policy was set or removed ({@code policy} is {@link ServicePolicy#NONE} then). */
public record PolicyChanged(ServiceName service, ServicePolicy policy) {
}
