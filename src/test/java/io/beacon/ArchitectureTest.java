package io.beacon;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The package structure: every direct sub-package of {@code io.beacon} is an application module, and
 * {@link ApplicationModules#verify()} fails when the modules' dependencies form a cycle (or when one
 * module reaches into another's internal sub-package).
 */
class ArchitectureTest {

    @Test
    void packagesHaveNoCycles() {
        ApplicationModules.of(BeaconApplication.class).verify();
    }
}
