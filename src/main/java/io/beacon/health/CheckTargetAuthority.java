package io.beacon.health;

import io.beacon.registry.ServiceName;

/**
 * Whether the registration being handled may aim its active check at a host other than the instance's own
 * address. Asked on the request's thread, while the registration is validated.
 */
@FunctionalInterface
public interface CheckTargetAuthority {

    /** Own address only: what every registration gets unless configured or authorised otherwise. */
    CheckTargetAuthority OWN_ADDRESS_ONLY = service -> false;

    boolean mayTargetAnyHost(ServiceName service);
}
