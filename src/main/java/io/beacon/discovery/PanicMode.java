package io.beacon.discovery;

import io.beacon.registry.ServiceSnapshot;

/**
 * Decides whether discovery of a service is in panic mode: too few of its instances are healthy, so the
 * default query returns the outlier-ejected instances too rather than (almost) none. Implemented by the
 * outlier package; without it, discovery never panics.
 */
@FunctionalInterface
public interface PanicMode {

    /** True when {@code snapshot}'s default discovery should include ejected instances. */
    boolean test(ServiceSnapshot snapshot);
}
